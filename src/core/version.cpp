// Version string assembled from the CMake project version and `git describe` at configure time.
#include "glyphsieve/core/version.hpp"

namespace glyphsieve {

std::string version_string() {
  std::string v = GLYPHSIEVE_VERSION;
  const std::string git = GLYPHSIEVE_GIT_DESCRIBE;
  if (!git.empty()) v += " (" + git + ")";
  return v;
}

}  // namespace glyphsieve
