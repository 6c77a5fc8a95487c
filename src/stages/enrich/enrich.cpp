// enrich stage: registry join; values formatted once per model and reused for every row.
#include "glyphsieve/stages/enrich.hpp"

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve {
namespace {

std::string num(const std::optional<double>& v) {
  if (!v) return {};
  return fmt::format("{}", *v);
}
std::string num(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

std::vector<std::string> spec_cells(const GpuSpec& g) {
  return {g.vendor,
          fmt::format("{}", g.vram_gb),
          num(g.tdp_watts),
          std::to_string(g.mig_support),
          g.nvlink ? "true" : "false",
          g.generation,
          num(g.memory_bandwidth_gbps),
          num(g.fp16_tflops),
          g.form_factor,
          num(g.slots),
          num(g.pcie_gen),
          num(g.launch_year),
          g.uncertain.empty() ? std::string() : fmt::format("uncertain: {}", fmt::join(g.uncertain, " "))};
}

}  // namespace

EnrichStage::EnrichStage(const GpuRegistry& registry) : registry_(registry) {
  for (const auto& g : registry.models) cells_.push_back(spec_cells(g));
}

const std::vector<std::string>& EnrichStage::columns() {
  static const std::vector<std::string> kColumns = {
      "vendor",      "vram_gb",     "tdp_watts", "mig_support", "nvlink",      "generation", "memory_bandwidth_gbps",
      "fp16_tflops", "form_factor", "slots",     "pcie_gen",    "launch_year", "warnings"};
  return kColumns;
}

void EnrichStage::bind(Header& header) {
  const auto m = header.find("canonical_model");
  if (!m) throw_data_error("enrich needs a 'canonical_model' column (run 'glyphsieve normalize' first)");
  model_ = *m;
  out_.clear();
  for (const auto& c : columns()) out_.push_back(header.ensure(c));
}

RowOutcome EnrichStage::process(Row& row, std::int64_t /*line*/) {
  ++rows_;
  const std::string& id = row[model_];
  const GpuSpec* g = registry_.find(id);
  if (!g) {
    for (std::size_t i = 0; i + 1 < out_.size(); ++i) row[out_[i]].clear();
    std::string& w = row[out_.back()];
    if (id.empty() || id == kUnknownModel) {
      w = "no registry data: model unknown";
    } else {
      // The suggestion costs an edit distance per registry entry: work it out once per id.
      auto it = unknown_warnings_.find(id);
      if (it == unknown_warnings_.end()) {
        std::vector<std::string> ids;
        for (const auto& spec : registry_.models) ids.push_back(spec.id);
        const std::string s = suggest(id, ids);
        it = unknown_warnings_
                 .emplace(id, fmt::format("no registry data: '{}' is not in the registry{}", id,
                                          s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)))
                 .first;
      }
      w = it->second;
    }
    return RowOutcome::keep();
  }
  ++enriched_;
  const auto& cells = cells_[registry_.by_id.at(id)];
  for (std::size_t i = 0; i < out_.size(); ++i) row[out_[i]] = cells[i];
  return RowOutcome::keep();
}

void EnrichStage::merge(const Stage& other) {
  const auto& o = dynamic_cast<const EnrichStage&>(other);
  rows_ += o.rows_;
  enriched_ += o.enriched_;
}

std::string EnrichStage::describe() const {
  return fmt::format("specifications from the GPU registry ({} models)", registry_.models.size());
}

std::string EnrichStage::summary() const {
  const double pct = rows_ ? 100.0 * static_cast<double>(enriched_) / static_cast<double>(rows_) : 0.0;
  return fmt::format("enriched {} ({:.1f}%)", enriched_, pct);
}

}  // namespace glyphsieve
