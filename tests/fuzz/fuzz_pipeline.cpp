// libFuzzer target: the input as a listing CSV through every stage of `glyphsieve pipeline`
// (clean, normalize with --filter-invalid, dedup, enrich, heuristics with both strategies, score),
// then the frontier stage, in memory. glyphsieve::Error is expected (no header, no title column ...); checks
// cover the row accounting, that the output reads back as the header plus one record per written row,
// that --threads 3 gives the same output, error, counts and summaries as one thread, that every cell the
// FrontierMarker would turn "true" holds "false" where it says, and that the report of the written rows
// renders as Markdown, JSON and HTML, the HTML without a <script anywhere.
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/heuristics/heuristics_stage.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/report/report.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/dedup.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/frontier.hpp"
#include "glyphsieve/stages/normalize.hpp"
#include "glyphsieve/stages/score.hpp"

using glyphsieve::fuzz::check;

namespace {

// The embedded resources, decoded once (stages keep references to them).
glyphsieve::ResourceContext& resources() {
  static glyphsieve::ResourceContext ctx = [] {
    glyphsieve::ResourceContext c;
    c.header_aliases();
    c.currencies();
    c.registry();
    c.model_patterns();
    c.quantization_heuristic();
    c.scoring();
    return c;
  }();
  return ctx;
}

// Stages keep per-run state (bound columns, caches, dedup keys), so each input gets a fresh pipeline.
glyphsieve::Pipeline make_pipeline(glyphsieve::ResourceContext& res) {
  using glyphsieve::HeuristicRun;
  glyphsieve::Pipeline p;
  p.add(std::make_unique<glyphsieve::CleanStage>(res.header_aliases(), res.currencies()));
  // The matcher is immutable, so it is built once (it compiles every pattern: most of a run's cost).
  static const auto kMatcher = std::make_shared<const glyphsieve::Matcher>(res.registry(), res.model_patterns(), 80);
  p.add(std::make_unique<glyphsieve::NormalizeStage>(kMatcher, true));
  p.add(std::make_unique<glyphsieve::DedupStage>(false));
  p.add(std::make_unique<glyphsieve::EnrichStage>(res.registry()));
  std::vector<HeuristicRun> runs;
  runs.push_back({glyphsieve::make_heuristic("quantization_capable", res), true, {}});
  runs.push_back({glyphsieve::make_heuristic("quantization_capacity", res), true, "--force-quantize"});
  p.add(std::make_unique<glyphsieve::HeuristicsStage>(std::move(runs)));
  p.add(std::make_unique<glyphsieve::ScoreStage>(res.scoring(), res.quantization_heuristic(), res.currencies()));
  p.add(std::make_unique<glyphsieve::FrontierStage>());
  return p;
}

// One run with `threads` workers: what a user can observe of it.
struct Observed {
  std::string out, error;
  std::int64_t input_rows = 0, written = 0, rejected = 0, filtered = 0;
  std::vector<std::string> summaries;
  bool operator==(const Observed&) const = default;
};

Observed observe(std::string_view text, int threads) {
  glyphsieve::Pipeline pipeline = make_pipeline(resources());
  glyphsieve::RunOptions options;
  options.threads = threads;
  std::istringstream in{std::string(text)};
  std::ostringstream out;
  Observed o;
  try {
    glyphsieve::CsvReader reader(in, "fuzz.csv");
    glyphsieve::CsvWriter writer(out);
    const glyphsieve::RunStats stats = pipeline.run(reader, writer, options);
    writer.flush();
    o = {"", "", stats.input_rows, stats.written, stats.rejected, stats.filtered, {}};
    for (const auto& st : stats.stages) o.summaries.push_back(st.summary);
  } catch (const glyphsieve::Error& e) {
    o.error = e.what();
  }
  o.out = out.str();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  glyphsieve::Pipeline pipeline = make_pipeline(resources());
  std::vector<std::string> header;
  std::vector<glyphsieve::Row> written;
  std::vector<std::int64_t> lines;
  std::int64_t filtered = 0, rejected = 0;
  std::optional<glyphsieve::FrontierMarker> marker;
  const glyphsieve::CsvWriter* writing = nullptr;
  glyphsieve::RunOptions options;
  options.on_header = [&](const std::vector<std::string>& names) {
    header = names;
    marker.emplace(names);
  };
  options.on_row = [&](const glyphsieve::Row& row, std::int64_t line, bool kept) {
    if (kept) {
      written.push_back(row);
      lines.push_back(line);
      marker->add(row, line, writing->position(), false);
    } else {
      ++filtered;
    }
  };
  options.on_reject = [&](std::int64_t, const std::string& reason, const glyphsieve::Row&, std::size_t) {
    check(!reason.empty(), "a reject has a reason");
    ++rejected;
  };

  std::istringstream in{std::string(glyphsieve::fuzz::as_text(data, size))};
  std::ostringstream out;
  glyphsieve::RunStats stats;
  try {
    glyphsieve::CsvReader reader(in, "fuzz.csv");
    glyphsieve::CsvWriter writer(out);
    writing = &writer;
    stats = pipeline.run(reader, writer, options);
    writer.flush();
  } catch (const glyphsieve::Error& e) {
    // No header, no title column, ...: expected, and the same with threads.
    check(observe(glyphsieve::fuzz::as_text(data, size), 3).error == e.what(),
          "--threads 3 fails with the same error as --threads 1");
    return 0;
  }
  Observed one{out.str(), "", stats.input_rows, stats.written, stats.rejected, stats.filtered, {}};
  for (const auto& st : stats.stages) one.summaries.push_back(st.summary);

  check(stats.input_rows == stats.written + stats.rejected + stats.filtered,
        "input_rows == written + rejected + filtered");
  check(stats.written == static_cast<std::int64_t>(written.size()), "on_row(written) calls == stats.written");
  check(stats.filtered == filtered, "on_row(filtered) calls == stats.filtered");
  check(stats.rejected == rejected, "on_reject calls == stats.rejected");

  // The output is the header, then the written rows, each as wide as the header.
  std::istringstream again(out.str());
  glyphsieve::CsvReader reread(again, "out.csv");
  glyphsieve::Row row;
  try {
    check(reread.next(row), "the output has a header");
    check(row.size() == header.size(), "the output header is the final header");
    std::size_t n = 0;
    while (reread.next(row)) {
      check(n < written.size(), "the output has no more rows than were written");
      check(row.size() == header.size(), "every output row is as wide as the header");
      check(row == written[n], "an output row reads back as written");
      ++n;
    }
    check(n == written.size(), "the output has every written row");
  } catch (const glyphsieve::Error&) {
    check(false, "the output reads back without an error");
  }

  const std::string text = out.str();
  for (const std::uint64_t at : marker->cells_to_mark()) {
    check(at + 5 <= text.size() && text.compare(at, 5, "false") == 0, "a frontier mark points at a 'false' cell");
  }

  // The report of what was written (the pipeline always has the report's columns).
  glyphsieve::report::ReportCollector collector(header, {});
  for (std::size_t i = 0; i < written.size(); ++i) collector.add(written[i], lines[i]);
  const glyphsieve::report::Report rep = collector.finish();
  check(rep.frontier.listings.size() == marker->on_frontier(), "the report's frontier is the marker's");
  glyphsieve::report::render_markdown(rep);
  glyphsieve::report::render_json(rep);
  check(glyphsieve::report::render_html(rep).find("<script") == std::string::npos, "the HTML report has no <script");

  check(observe(glyphsieve::fuzz::as_text(data, size), 3) == one, "--threads 3 observes the same as --threads 1");
  return 0;
}
