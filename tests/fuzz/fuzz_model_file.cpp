// libFuzzer target: the model-file readers of `fit` (--gguf and --model-config). The first byte picks
// the reader (byte % 3: 0 GGUF from a file, 1 GGUF from a pipe, which cannot seek to check the tensor
// data, so header-only inputs reach the end; 2 a Hugging Face config.json); the rest is the file. A reader either
// returns a model the memory model can size, or throws glyphsieve::Error; it must never crash, hang or allocate in
// proportion to a length field it has not checked.
#include <cmath>
#include <sstream>
#include <string>

#include "fuzz.hpp"
#include "glyphsieve/capacity/memory.hpp"
#include "glyphsieve/capacity/model_file.hpp"
#include "glyphsieve/core/error.hpp"

using glyphsieve::fuzz::check;

namespace {

// A read-only buffer over the input that cannot seek, as a pipe.
class PipeBuffer : public std::streambuf {
 public:
  explicit PipeBuffer(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): never written
    setg(p, p, p + bytes.size());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body = glyphsieve::fuzz::as_text(data + 1, size - 1);
  glyphsieve::ModelSpec m;
  try {
    if (data[0] % 3 == 0) {
      std::istringstream in{std::string(body)};
      m = glyphsieve::read_gguf(in, "fuzz.gguf");
    } else if (data[0] % 3 == 1) {
      PipeBuffer buffer(body);
      std::istream in(&buffer);
      m = glyphsieve::read_gguf(in, "fuzz.gguf");
    } else {
      m = glyphsieve::read_hf_config(body, "config.json");
    }
  } catch (const glyphsieve::Error& e) {
    check(!e.message().empty(), "an Error says what is wrong");
    return 0;
  }
  // The vocabulary may be unknown (0) in a GGUF file that names none; it only sizes the logits buffer.
  check(m.layers > 0 && m.hidden > 0 && m.heads > 0 && m.kv_heads > 0 && m.head_dim > 0 && m.vocab >= 0,
        "a model that reads has positive dimensions");
  check(std::isfinite(m.params) && m.params >= 0, "params is finite and >= 0");
  check(m.active_params <= m.params + 1, "active params do not exceed params");
  // The memory model must size whatever a reader accepts without dividing by zero or overflowing.
  glyphsieve::Deployment d;
  d.model = &m;
  d.context = 4096;
  if (!m.weight_bytes) m.weight_bytes = m.params * 2;
  const double kv = glyphsieve::MemoryModel::kv_bytes(d);
  check(std::isfinite(kv) && kv >= 0, "the KV cache of a model that reads is finite");
  check(std::isfinite(glyphsieve::MemoryModel::weight_bytes(d)), "its weights are finite");
  return 0;
}
