// Pipeline::run — the table of contents of a glyphsieve run: bind, stream, account.
#include "glyphsieve/pipeline.hpp"

#include <chrono>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

// Two input columns with the same name, one of which a stage reads or writes: which one is meant
// cannot be known, so the run stops. Duplicates no stage uses (two blank names, say) pass through.
void refuse_ambiguous_duplicates(const Header& header, std::size_t input_width, const Location& where) {
  std::unordered_map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < input_width; ++i) {
    const std::string& name = header.names()[i];
    const auto [it, fresh] = first.emplace(name, i);
    if (!fresh && !name.empty() && header.used(name)) {
      throw_data_error(fmt::format("column '{}' appears twice in the header (fields {} and {}); rename one so it is "
                                   "clear which to use",
                                   name, it->second + 1, i + 1),
                       where);
    }
  }
}

// Runs `f`, which judges the header (a stage binding, the report checking its columns): an Error it
// throws without a file is a problem with the header, so it gets the input's name and header line.
template <typename F>
void at_header(F&& f, const std::string& file, std::int64_t header_line) {
  try {
    f();
  } catch (const Error& e) {
    if (!e.where().file.empty()) throw;
    throw Error(e.code(), e.message(), Location{file, header_line, 0, e.where().field});
  }
}

}  // namespace

Pipeline& Pipeline::add(std::unique_ptr<Stage> stage) {
  stages_.push_back(std::move(stage));
  return *this;
}

RunStats Pipeline::run(CsvReader& in, CsvWriter& out, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  RunStats stats;
  Row row;
  if (!in.next(row)) throw_data_error("empty input: no header row", Location{in.name()});
  const std::int64_t header_line = in.record_line();
  if (const auto& p = in.problem()) {
    // Columns without a readable name cannot be mapped, so header damage is fatal.
    throw_data_error(fmt::format("header, field {}: {}", p->field + 1, p->what), Location{in.name(), header_line});
  }
  const std::size_t input_width = row.size();
  Header header(row);

  // Bind every stage; each may append columns. widths[k] = columns present after stage k.
  std::vector<std::size_t> widths;
  for (auto& stage : stages_) {
    at_header([&] { stage->bind(header); }, in.name(), header_line);
    widths.push_back(header.size());
  }
  refuse_ambiguous_duplicates(header, input_width, Location{in.name(), header_line});
  if (options.on_note) {
    for (auto& stage : stages_) {
      for (const auto& note : stage->notes()) options.on_note(std::string(stage->name()), note);
    }
  }
  const std::size_t width = header.size();
  if (options.on_header) at_header([&] { options.on_header(header.names()); }, in.name(), header_line);
  out.write_row(header.names());
  for (std::size_t k = 0; k < stages_.size() && k < options.intermediates.size(); ++k) {
    if (options.intermediates[k]) options.intermediates[k]->write_row(header.names(), widths[k]);
  }
  std::vector<std::int64_t> rows_in(stages_.size(), 0);
  std::vector<Clock::duration> spent(stages_.size(), Clock::duration::zero());

  const auto reject = [&](std::int64_t line, const std::string& reason, std::size_t fields) {
    if (options.strict) throw_data_error(reason + " (--strict)", Location{in.name(), line});
    ++stats.rejected;
    if (options.on_reject) options.on_reject(line, reason, row, fields);
  };

  while (in.next(row)) {
    ++stats.input_rows;
    const std::int64_t line = in.record_line();
    if (row.size() != input_width) {
      reject(line, fmt::format("expected {} fields, found {}", input_width, row.size()), row.size());
      continue;
    }
    if (const auto& p = in.problem()) {
      reject(line, fmt::format("column '{}' (field {}): {}", header.names()[p->field], p->field + 1, p->what),
             input_width);
      continue;
    }
    row.resize(width);
    bool kept = true;
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      ++rows_in[k];
      const auto t0 = Clock::now();
      RowOutcome outcome = stages_[k]->process(row, line);
      spent[k] += Clock::now() - t0;
      if (outcome.kind == RowOutcome::kReject) {
        reject(line, outcome.reason, input_width);
        kept = false;
        break;
      }
      if (k < options.intermediates.size() && options.intermediates[k]) {
        options.intermediates[k]->write_row(row, widths[k]);
      }
      if (outcome.kind == RowOutcome::kFilter) {
        ++stats.filtered;
        if (options.on_row) options.on_row(row, line, false);
        kept = false;
        break;
      }
    }
    if (!kept) continue;
    out.write_row(row);
    ++stats.written;
    if (options.on_row) options.on_row(row, line, true);
  }
  for (std::size_t k = 0; k < stages_.size(); ++k) {
    stats.stages.push_back({std::string(stages_[k]->name()), rows_in[k],
                            std::chrono::duration<double>(spent[k]).count(), stages_[k]->summary()});
  }
  return stats;
}

}  // namespace glyphsieve
