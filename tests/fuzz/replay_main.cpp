// Runs fuzz inputs without libFuzzer (any compiler): each file argument, and every file under each
// directory argument, goes once through LLVMFuzzerTestOneInput. Linked with every target as
// replay_<target>, it turns tests/fuzz/corpus/<target>/ into the CTest test fuzz_replay.<target>.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "fuzz.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const std::string self = fs::path(argc > 0 ? argv[0] : "replay").filename().string();
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", self.c_str());
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());  // a stable order, so a failure reproduces the same way
      inputs.insert(inputs.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(arg, ec)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such file or directory: %s\n", self.c_str(), arg.c_str());
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "%s: no inputs found\n", self.c_str());
    return 1;
  }
  for (const auto& path : inputs) {
    // Named before it runs: when an input crashes, the last line says which one.
    std::fprintf(stderr, "%s: %s\n", self.c_str(), path.c_str());
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read %s\n", self.c_str(), path.c_str());
      return 1;
    }
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: ran %zu inputs\n", self.c_str(), inputs.size());
  return 0;
}
