// The heuristics engine: a strategy interface over typed listings, the value kinds a strategy may
// return, and the one table of strategies by stable name (`glyphsieve heuristics list`).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "glyphsieve/heuristics/listing.hpp"

namespace glyphsieve {

class ResourceContext;

/// The only kinds of value a heuristic returns.
enum class ValueKind { kBoolean, kInteger, kFloat, kEnum, kText };
std::string_view to_string(ValueKind kind);

/// A value of a string-enum output: one of its OutputField::enum_values.
struct EnumValue {
  std::string_view value;
  bool operator==(const EnumValue&) const = default;
};

/// One output value; std::monostate means "unknown" (written as an empty cell). A std::string is free
/// text (kText), e.g. a list of MIG profiles.
using HeuristicValue = std::variant<std::monostate, bool, std::int64_t, double, EnumValue, std::string>;

/// Renders a value as its CSV cell: "true"/"false", "3", "0.5", the enum value or text, "" when unknown.
std::string format_value(const HeuristicValue& value);

/// One named output of a strategy: its column name, kind and meaning.
struct OutputField {
  std::string name;  ///< the column, e.g. "quantization_capacity.7b"
  ValueKind kind;
  std::string description;
  std::vector<std::string> enum_values;  ///< for kEnum: every value it may take
};

/// What one evaluation produced: a value per output (same order as outputs()) and warnings.
struct HeuristicResult {
  std::vector<HeuristicValue> values;
  std::vector<std::string> warnings;  ///< e.g. "quantization_capacity: vram_gb unknown"
};

/// A heuristic: a pure function from a typed listing to named values. Built from a typed config;
/// never reads files. If its meaning changes incompatibly it gets a new name (LevelDB's rule).
class BaseHeuristicStrategy {
 public:
  virtual ~BaseHeuristicStrategy() = default;
  /// Stable name: the table key and the name of its main column.
  virtual std::string_view name() const = 0;
  /// The columns it reads (the stage checks they exist before the first row).
  virtual std::vector<std::string> inputs() const = 0;
  /// Its outputs, in column order. Fixed once the strategy is built.
  virtual const std::vector<OutputField>& outputs() const = 0;
  /// When true, a column named name() holding every output as compact JSON ({"7b":3,...}, keys
  /// without the "<name>." prefix) precedes the outputs' own columns.
  virtual bool json_column() const { return false; }
  /// REQUIRES: out.values.size() == outputs().size() on return; values match their field's kind.
  virtual void evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const = 0;
  /// One line on the rule and the config in force, for `heuristics list` / `show`.
  virtual std::string describe() const = 0;
};

/// One row of the strategy table.
struct HeuristicInfo {
  const char* name;
  const char* summary;
  std::unique_ptr<BaseHeuristicStrategy> (*make)(ResourceContext& resources);
};

/// Every strategy, in listing order.
std::span<const HeuristicInfo> heuristic_table();

/// Builds the strategy named `name` from its config in `resources`. An unknown name throws a
/// usage Error with the nearest known name ("did you mean 'quantization_capable'?").
std::unique_ptr<BaseHeuristicStrategy> make_heuristic(std::string_view name, ResourceContext& resources);

}  // namespace glyphsieve
