// FrontierStage (the on_frontier column) and FrontierMarker (which rows get "true"): see frontier.hpp.
#include "glyphsieve/stages/frontier.hpp"

#include <algorithm>

#include "glyphsieve/core/text.hpp"
#include "glyphsieve/csv/writer.hpp"

namespace glyphsieve {

namespace {

std::string_view cell(const std::vector<std::string>& row, const std::optional<std::size_t>& i) {
  return i && *i < row.size() ? std::string_view(row[*i]) : std::string_view();
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

FrontierMarker::FrontierMarker(const std::vector<std::string>& names) {
  const Header header(names);
  column_ = *header.find(kOnFrontierColumn);
  price_ = header.find("unit_price_usd");
  score_ = header.find("score");
  valid_ = header.find("is_valid_gpu");
  model_ = header.find("canonical_model");
  duplicate_ = header.find("duplicate_flag");
}

void FrontierMarker::add(const std::vector<std::string>& row, std::int64_t line, std::uint64_t end, bool safe) {
  if (!cell_is_true(cell(row, valid_))) return;
  const std::string_view model = trim(cell(row, model_));
  if (model.empty() || model == "UNKNOWN" || trim(cell(row, duplicate_)) == "DUPLICATE") return;
  const std::optional<double> price = cell_number(cell(row, price_));
  const std::optional<double> score = cell_number(cell(row, score_));
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
