// The tool's version, for --version and for provenance in outputs.
#pragma once

#include <string>

namespace glyphsieve {

/// "0.1.0" plus " (git describe)" when built from a git checkout.
std::string version_string();
/// The project version alone ("0.1.0").
std::string version_number();
/// `git describe --always --dirty --tags` of the source tree at configure time; "" when not built from git.
std::string git_describe();

}  // namespace glyphsieve
