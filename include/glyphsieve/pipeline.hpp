// The streaming driver: one pass over the input, each row through every stage, with row accounting
// (input rows = written + rejected + filtered) and per-stage timing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glyphsieve/csv/reader.hpp"
#include "glyphsieve/csv/writer.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

struct StageStats {
  std::string name;
  std::int64_t rows_in = 0;
  double seconds = 0;
  std::string summary;
};

struct RunStats {
  std::int64_t input_rows = 0;
  std::int64_t written = 0;
  std::int64_t rejected = 0;
  std::int64_t filtered = 0;
  std::vector<StageStats> stages;
};

struct RunOptions {
  /// First rejected row becomes a fatal Error (with its line) instead of a reject.
  bool strict = false;
  /// Called for every rejected row: input line, reason, the record's fields as read.
  std::function<void(std::int64_t line, const std::string& reason, const Row& record, std::size_t width)> on_reject;
  /// Called once after binding with each stage's notes (e.g. the header mapping).
  std::function<void(const std::string& stage, const std::string& note)> on_note;
  /// Called once with the final header (after every stage bound), before any row.
  std::function<void(const std::vector<std::string>& header)> on_header;
  /// Called for every row that reached the end (written = true) or was filtered by a stage (false;
  /// later stages did not run on it). Not called for rejected rows.
  std::function<void(const Row& row, std::int64_t line, bool written)> on_row;
  /// Optional per-stage intermediate writers (same order as the stages); nullptr to skip one.
  /// Intermediates make the run single-threaded.
  std::vector<CsvWriter*> intermediates;
  /// Worker threads for the leading stages that can be cloned (Stage::clone). Rows are read, written,
  /// reported and accounted on the calling thread in input order, so the output and every callback
  /// are the same for any value. 1: everything runs on the calling thread.
  int threads = 1;
};

class Pipeline {
 public:
  /// Appends a stage; stages run in the order added.
  Pipeline& add(std::unique_ptr<Stage> stage);
  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }

  /// Reads the header and every row from `in`, runs the stages, writes kept rows to `out`.
  /// Throws Error for an empty input (no header), for a stage that cannot bind, and in strict mode
  /// for the first rejected row. The caller flushes `out`.
  RunStats run(CsvReader& in, CsvWriter& out, const RunOptions& options);

 private:
  class Run;
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace glyphsieve
