// Hash maps keyed by std::string that are looked up with a std::string_view, without building a
// temporary string (C++20 heterogeneous lookup).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace glyphsieve {

struct StringHash {
  using is_transparent = void;  // NOLINT(readability-identifier-naming): the name the standard library looks for
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace glyphsieve
