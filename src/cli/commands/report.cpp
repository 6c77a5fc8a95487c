// `glyphsieve report`: the insight report (Markdown or JSON) of a scored CSV, read in one pass with the
// same row rules and accounting as every other command (a pipeline with no stages whose output is the report).
#include "cli/app.hpp"

namespace glyphsieve::cli {

void add_report(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto request = std::make_shared<ReportRequest>();
  cmd.add_option("-i,--input", io->input, "Scored CSV (from 'glyphsieve score' or 'pipeline'), or - for stdin")
      ->required();
  cmd.add_option("-o,--output", request->path, "Report file, or - for stdout (default)")->default_str("-");
  cmd.add_option("--rejects", io->rejects, "Write rejected rows here (CSV: line, reason, record)");
  cmd.add_flag("--strict", io->strict, "Fail on the first malformed row instead of rejecting it");
  add_report_options(cmd, *request, "--format");
  add_gate_options(cmd, *request);
  cmd.add_flag("--dry-run", io->dry_run, "Print the plan and stop: no row is read and no file is written");
  cmd.callback([io, request, &global] {
    if (request->path.empty()) request->path = "-";
    io->output = request->path;
    Pipeline none;
    RunExtras extras;
    extras.report = request.get();
    extras.report_is_output = true;
    run_pipeline("report", none, *io, global, extras);
  });
}

}  // namespace glyphsieve::cli
