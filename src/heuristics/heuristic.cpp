// The strategy table and value formatting. Adding a strategy: one class, one row in kHeuristics,
// its config (docs/adding-a-heuristic.md).
#include "glyphsieve/heuristics/heuristic.hpp"

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/heuristics/deployability.hpp"
#include "glyphsieve/heuristics/quantization.hpp"
#include "glyphsieve/resources/context.hpp"

namespace glyphsieve {
namespace {

const HeuristicInfo kHeuristics[] = {
    {"quantization_capacity", "How many 4-bit 7B/13B/70B models fit on one card (per configured size)",
     [](ResourceContext& r) -> std::unique_ptr<BaseHeuristicStrategy> {
       return std::make_unique<QuantizationCapacityStrategy>(r.quantization_heuristic().capacity);
     }},
    {"quantization_capable", "Good low-bit inference card: enough memory, modest power, MIG",
     [](ResourceContext& r) -> std::unique_ptr<BaseHeuristicStrategy> {
       return std::make_unique<QuantizationCapableStrategy>(r.quantization_heuristic().capable);
     }},
    {"realistic_capacity",
     "Instances of reference models (memory_model.yaml) a listing holds: weights, KV cache, runtime, tensor parallel",
     [](ResourceContext& r) -> std::unique_ptr<BaseHeuristicStrategy> {
       const MemoryModelConfig& c = r.memory_model();
       return std::make_unique<RealisticCapacityStrategy>(MemoryModel(c, r.quant_types()), r.model_catalog(),
                                                          r.quant_types().find(c.default_quant), c.default_context);
     }},
};

}  // namespace

std::string_view to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::kBoolean:
      return "boolean";
    case ValueKind::kInteger:
      return "integer";
    case ValueKind::kFloat:
      return "float";
    case ValueKind::kEnum:
      return "enum";
    case ValueKind::kText:
      return "text";
  }
  return "?";
}

std::string format_value(const HeuristicValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(EnumValue e) const { return std::string(e.value); }
    std::string operator()(const std::string& t) const { return t; }
  };
  return std::visit(Visitor{}, value);
}

std::span<const HeuristicInfo> heuristic_table() { return kHeuristics; }

std::unique_ptr<BaseHeuristicStrategy> make_heuristic(std::string_view name, ResourceContext& resources) {
  std::vector<std::string> names;
  for (const auto& h : kHeuristics) {
    if (name == h.name) return h.make(resources);
    names.emplace_back(h.name);
  }
  const std::string s = suggest(std::string(name), names);
  throw_usage_error(fmt::format("no heuristic named '{}'{}; 'glyphsieve heuristics list' shows them", name,
                                s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)));
}

}  // namespace glyphsieve
