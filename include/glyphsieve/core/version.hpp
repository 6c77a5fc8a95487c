// The tool's version, for --version and for provenance in outputs.
#pragma once

#include <string>

namespace glyphsieve {

/// "0.1.0" plus " (git describe)" when built from a git checkout.
std::string version_string();

}  // namespace glyphsieve
