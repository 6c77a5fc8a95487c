// heuristics stage: bind columns once, then per row parse -> evaluate each strategy -> write cells.
#include "glyphsieve/heuristics/heuristics_stage.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

// A JSON string literal: quotes, backslashes and control characters escaped.
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), FMT_COMPILE("\\u{:04x}"), static_cast<unsigned>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

HeuristicsStage::HeuristicsStage(std::vector<HeuristicRun> runs, std::string hint)
    : runs_(std::make_shared<const std::vector<HeuristicRun>>(std::move(runs))), hint_(std::move(hint)) {}

void HeuristicsStage::bind(Header& header) {
  bound_.clear();
  for (const auto& run : *runs_) {
    const BaseHeuristicStrategy& s = *run.strategy;
    std::vector<std::string> names;
    if (s.json_column()) names.emplace_back(s.name());
    for (const auto& f : s.outputs()) names.push_back(f.name);
    if (!run.overwrite) {
      for (const auto& n : names) {
        if (header.find(n)) {
          throw_data_error(fmt::format("the input already has a '{}' column; use {} to recompute and replace it", n,
                                       run.force_flag));
        }
      }
    }
  }
  // Existing capacity columns are outputs here, not inputs: never parse (and reject on) stale ones.
  auto columns = std::make_shared<ListingColumns>(header, /*read_capacity=*/false);
  for (const auto& run : *runs_) {
    columns->require(run.strategy->inputs(), run.strategy->name(), hint_);
  }
  columns_ = std::move(columns);
  for (const auto& run : *runs_) {
    const BaseHeuristicStrategy& s = *run.strategy;
    Bound b;
    if (s.json_column()) b.json = header.ensure(s.name());
    for (const auto& f : s.outputs()) b.columns.push_back(header.ensure(f.name));
    bound_.push_back(std::move(b));
  }
  warnings_ = header.find("warnings");
}

RowOutcome HeuristicsStage::process(Row& row, std::int64_t /*line*/) {
  ++rows_;
  if (auto problem = columns_->parse(row, listing_)) return RowOutcome::reject(std::move(*problem));
  for (std::size_t k = 0; k < runs_->size(); ++k) {
    const BaseHeuristicStrategy& s = *(*runs_)[k].strategy;
    Bound& b = bound_[k];
    result_.values.clear();
    result_.warnings.clear();
    s.evaluate(listing_, result_);
    const bool known = !result_.values.empty() && !std::holds_alternative<std::monostate>(result_.values[0]);
    if (known) ++b.known;
    if (known && std::holds_alternative<bool>(result_.values[0]) && std::get<bool>(result_.values[0])) ++b.trues;
    for (std::size_t i = 0; i < b.columns.size(); ++i) row[b.columns[i]] = format_value(result_.values[i]);
    if (b.json) {
      std::string& cell = row[*b.json];
      cell.clear();
      if (known) {
        // {"7b":3,...}: keys without the "<name>." prefix. Values are numbers, booleans or strings.
        cell.push_back('{');
        const auto& fields = s.outputs();
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (i) cell.push_back(',');
          const std::string_view key = std::string_view(fields[i].name).substr(s.name().size() + 1);
          const std::string v = format_value(result_.values[i]);
          if (fields[i].kind == ValueKind::kEnum || fields[i].kind == ValueKind::kText) {
            fmt::format_to(std::back_inserter(cell), FMT_COMPILE("\"{}\":"), key);
            append_json_string(cell, v);
          } else {
            fmt::format_to(std::back_inserter(cell), FMT_COMPILE("\"{}\":{}"), key, v.empty() ? "null" : v);
          }
        }
        cell.push_back('}');
      }
    }
    if (warnings_) {
      std::string& w = row[*warnings_];
      for (const auto& text : result_.warnings) {
        if (w.find(text) != std::string::npos) continue;  // a second run adds nothing
        if (!w.empty()) w += "; ";
        w += text;
      }
    }
  }
  return RowOutcome::keep();
}

void HeuristicsStage::merge(const Stage& other) {
  const auto& o = dynamic_cast<const HeuristicsStage&>(other);
  rows_ += o.rows_;
  for (std::size_t k = 0; k < bound_.size() && k < o.bound_.size(); ++k) {
    bound_[k].known += o.bound_[k].known;
    bound_[k].trues += o.bound_[k].trues;
  }
}

std::string HeuristicsStage::describe() const {
  std::string names;
  for (const HeuristicRun& run : *runs_) {
    names += fmt::format("{}{}{}", names.empty() ? "" : ", ", run.strategy->name(),
                         run.overwrite && !run.force_flag.empty() ? " (" + run.force_flag + ")" : "");
  }
  return "strategies: " + names;
}

std::string HeuristicsStage::summary() const {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < runs_->size(); ++k) {
    const auto& s = *(*runs_)[k].strategy;
    const Bound b = k < bound_.size() ? bound_[k] : Bound{};
    if (!s.outputs().empty() && s.outputs()[0].kind == ValueKind::kBoolean) {
      parts.push_back(fmt::format("{} true {}", s.name(), b.trues));
    } else {
      parts.push_back(fmt::format("{} computed {}, unknown {}", s.name(), b.known, rows_ - b.known));
    }
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace glyphsieve
