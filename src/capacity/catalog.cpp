// Lookups in the deployability resources. Names compare ASCII case-insensitively: users type
// "Llama-3.1-8B" as often as "llama-3.1-8b", and "q4_k_m" as often as "Q4_K_M".
#include "glyphsieve/capacity/catalog.hpp"

namespace glyphsieve {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

}  // namespace

const ModelSpec* ModelCatalog::find(std::string_view name) const {
  for (const auto& m : models) {
    if (same_name(m.id, name)) return &m;
  }
  for (const auto& m : models) {
    for (const auto& a : m.aliases) {
      if (same_name(a, name)) return &m;
    }
  }
  return nullptr;
}

const QuantType* QuantTypes::find(std::string_view id) const {
  for (const auto& q : types) {
    if (same_name(q.id, id)) return &q;
  }
  return nullptr;
}

const KvDtype* MemoryModelConfig::kv_dtype(std::string_view id) const {
  for (const auto& k : kv_dtypes) {
    if (same_name(k.id, id)) return &k;
  }
  return nullptr;
}

const MigProfileSet* MemoryModelConfig::mig_profiles(std::string_view gpu) const {
  for (const auto& set : mig) {
    for (const auto& g : set.gpus) {
      if (g == gpu) return &set;
    }
  }
  return nullptr;
}

int MemoryModelConfig::devices_per_board(std::string_view gpu) const {
  for (const auto& [id, devices] : boards) {
    if (id == gpu) return devices;
  }
  return 1;
}

}  // namespace glyphsieve
