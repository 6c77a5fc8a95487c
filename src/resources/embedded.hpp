// The default resources, compiled into the binary from resources/*.yaml by cmake/embed_resources.cmake.
#pragma once

#include <span>
#include <string_view>

namespace glyphsieve {

struct EmbeddedResource {
  std::string_view name;  ///< file name, e.g. "gpu_registry.yaml"
  std::string_view text;
};

std::span<const EmbeddedResource> embedded_resources();

}  // namespace glyphsieve
