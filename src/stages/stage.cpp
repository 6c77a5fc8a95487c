// Header lookups shared by all stages.
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

std::optional<std::size_t> Header::find(std::string_view name) const {
  if (!used(name)) used_.emplace_back(name);
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t Header::ensure(std::string_view name) {
  if (auto i = find(name)) return *i;
  names_.emplace_back(name);
  return names_.size() - 1;
}

bool Header::used(std::string_view name) const {
  for (const auto& u : used_) {
    if (u == name) return true;
  }
  return false;
}

}  // namespace glyphsieve
