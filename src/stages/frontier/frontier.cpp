// FrontierStage (the on_frontier column) and FrontierMarker (which rows get "true"): see frontier.hpp.
#include "glyphsieve/stages/frontier.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"
#include "glyphsieve/csv/writer.hpp"

namespace glyphsieve {

namespace {

std::optional<double> number(std::string_view cell) {
  const std::string_view s = trim(cell);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view cell(const std::vector<std::string>& row, const std::optional<std::size_t>& i) {
  return i && *i < row.size() ? std::string_view(row[*i]) : std::string_view();
}

bool is_true(std::string_view s) {
  s = trim(s);
  return s.size() == 4 && (s[0] | 0x20) == 't' && (s[1] | 0x20) == 'r' && (s[2] | 0x20) == 'u' && (s[3] | 0x20) == 'e';
}

std::optional<std::size_t> find(const std::vector<std::string>& header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? std::nullopt : std::optional<std::size_t>(it - header.begin());
}

}  // namespace

void FrontierStage::bind(Header& header) { column_ = header.ensure(kOnFrontierColumn); }

RowOutcome FrontierStage::process(Row& row, std::int64_t) {
  ++rows_;
  row[column_] = "false";
  return RowOutcome::keep();
}

void FrontierStage::merge(const Stage& other) { rows_ += static_cast<const FrontierStage&>(other).rows_; }

std::string FrontierStage::summary() const {
  return "on_frontier written; the frontier rows are marked after the last row";
}

std::string FrontierStage::describe() const {
  return "on_frontier: true for the valid, known-model, non-duplicate listings no other beats on both unit price "
         "and score (the output is held until the last row)";
}

FrontierMarker::FrontierMarker(const std::vector<std::string>& header)
    : column_(*find(header, kOnFrontierColumn)),
      price_(find(header, "unit_price_usd")),
      score_(find(header, "score")),
      valid_(find(header, "is_valid_gpu")),
      model_(find(header, "canonical_model")),
      duplicate_(find(header, "duplicate_flag")) {}

void FrontierMarker::add(const std::vector<std::string>& row, std::int64_t line, std::uint64_t end, bool safe) {
  if (!is_true(cell(row, valid_))) return;
  const std::string_view model = trim(cell(row, model_));
  if (model.empty() || model == "UNKNOWN" || trim(cell(row, duplicate_)) == "DUPLICATE") return;
  const std::optional<double> price = number(cell(row, price_));
  const std::optional<double> score = number(cell(row, score_));
  if (!price || *price <= 0 || !score) return;
  ++eligible_;
  dropped_.clear();
  if (!frontier_.offer({*price, *score, line}, &dropped_)) return;
  for (const std::int64_t gone : dropped_) cells_.erase(gone);
  // Where the cell is: the row began at end - (its text's length); the cell follows the fields before it.
  scratch_.clear();
  CsvWriter::format_row(row, row.size(), safe, scratch_);
  const std::uint64_t start = end - scratch_.size();
  scratch_.clear();
  CsvWriter::format_row(row, column_, safe, scratch_);  // the fields before the cell, then LF
  const std::uint64_t offset = start + (scratch_.size() - 1) + (column_ > 0 ? 1 : 0);
  cells_.emplace(line, offset);
}

std::vector<std::uint64_t> FrontierMarker::cells_to_mark() const {
  std::vector<std::uint64_t> out;
  for (const ParetoFrontier::Point& p : frontier_.points()) out.push_back(cells_.at(p.id));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace glyphsieve
