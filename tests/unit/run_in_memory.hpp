// Test support: runs a Pipeline (or one stage) over CSV text in memory and returns the output text
// and the row accounting, so stage tests read as input -> expected output.
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include "glyphsieve/pipeline.hpp"

namespace glyphsieve::testing {

struct InMemoryRun {
  std::string out;
  RunStats stats;
};

/// Runs `pipeline` over `csv` (named "in.csv" in messages). Errors propagate as thrown.
inline InMemoryRun run_in_memory(Pipeline& pipeline, const std::string& csv, const RunOptions& options = {}) {
  std::istringstream in(csv);
  std::ostringstream out;
  CsvReader reader(in, "in.csv");
  InMemoryRun r;
  {
    CsvWriter writer(out);
    r.stats = pipeline.run(reader, writer, options);
    writer.flush();
  }
  r.out = out.str();
  return r;
}

/// Runs one stage over `csv`.
inline InMemoryRun run_stage(std::unique_ptr<Stage> stage, const std::string& csv) {
  Pipeline p;
  p.add(std::move(stage));
  return run_in_memory(p, csv);
}

}  // namespace glyphsieve::testing
