// `glyphsieve report`: the insight report (Markdown or JSON) of a scored CSV, read in one pass.
#include <iostream>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/csv/reader.hpp"

namespace glyphsieve::cli {

void add_report(CLI::App& cmd, GlobalOptions& global) {
  auto input = std::make_shared<std::string>();
  auto request = std::make_shared<ReportRequest>();
  request->path = "-";
  cmd.add_option("-i,--input", *input, "Scored CSV (from 'glyphsieve score' or 'pipeline'), or - for stdin")
      ->required();
  cmd.add_option("-o,--output", request->path, "Report file, or - for stdout (default)");
  add_report_options(cmd, *request, "--format");
  cmd.callback([input, request, &global] {
    InputFile in(*input);
    OutputFile out(request->path, {*input});
    CsvReader reader(in.stream(), *input);
    Row row;
    if (!reader.next(row)) throw_data_error("empty input: no header row", Location{reader.name()});
    const std::size_t width = row.size();
    // A missing required column is an Error naming the file, line 1 and the column.
    report::ReportCollector collector(row, reader.name() == "-" ? "<stdin>" : reader.name());
    std::int64_t rejected = 0, rows = 0;
    while (reader.next(row)) {
      ++rows;
      if (row.size() != width) {
        // Same rule as every other command: a ragged row is counted, named, and left out.
        if (rejected++ < 10) {
          fmt::print(stderr, "glyphsieve: warning: {}:{}: row rejected: expected {} fields, found {}\n",
                     *input == "-" ? "<stdin>" : *input, reader.record_line(), width, row.size());
        }
        continue;
      }
      collector.add(row, reader.record_line(), true);
    }
    collector.add_rejected(rejected);
    report::ReportOptions ro = request->options;
    ro.source = *input == "-" ? "<stdin>" : *input;
    const report::Report rep = collector.finish(ro);
    out.stream() << (request->format == "json" ? report::render_json(rep) : report::render_markdown(rep));
    out.commit();
    if (!global.quiet) {
      fmt::print(stderr, "glyphsieve report: {} rows read = {} reported + {} rejected -> {}\n", rows, rows - rejected,
                 rejected, display_output(request->path));
    }
  });
}

}  // namespace glyphsieve::cli
