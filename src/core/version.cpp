// Version string assembled from the CMake project version and `git describe` at configure time.
#include "glyphsieve/core/version.hpp"

namespace glyphsieve {

std::string version_number() { return GLYPHSIEVE_VERSION; }

std::string git_describe() { return GLYPHSIEVE_GIT_DESCRIBE; }

std::string version_string() {
  std::string v = version_number();
  const std::string git = git_describe();
  if (!git.empty()) v += " (" + git + ")";
  return v;
}

}  // namespace glyphsieve
