// FrontierStage adds on_frontier; FrontierMarker finds the cells of the frontier rows in the written CSV,
// whatever the quoting, the --safe-csv prefixes or the column's place.
#include "glyphsieve/stages/frontier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "glyphsieve/csv/reader.hpp"
#include "glyphsieve/csv/writer.hpp"

namespace glyphsieve {
namespace {

// Writes `rows` under `header` as the pipeline would, feeding the marker, then applies its marks.
std::string written_and_marked(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                               bool safe) {
  std::ostringstream text;
  FrontierMarker marker(header);
  {
    CsvWriter w(text);
    w.set_safe(safe);
    w.write_row(header);
    std::int64_t line = 2;
    for (const auto& r : rows) {
      w.write_row(r);
      marker.add(r, line++, w.position(), safe);
    }
    w.flush();
  }
  std::string out = text.str();
  const std::vector<std::uint64_t> marks = marker.cells_to_mark();
  EXPECT_TRUE(std::is_sorted(marks.begin(), marks.end()));
  for (auto it = marks.rbegin(); it != marks.rend(); ++it) {  // from the end: a mark shortens what follows it
    EXPECT_EQ(out.substr(*it, 5), "false");
    out.replace(*it, 5, "true");
  }
  return out;
}

std::vector<std::string> column(const std::string& csv, const std::string& name) {
  std::istringstream in(csv);
  CsvReader reader(in, "test");
  Row row;
  reader.next(row);
  std::size_t k = 0;
  while (row[k] != name) ++k;
  std::vector<std::string> out;
  while (reader.next(row)) out.push_back(row[k]);
  return out;
}

TEST(FrontierStage, AddsTheColumnOrReusesIt) {
  Header h({"title", "score"});
  FrontierStage s;
  s.bind(h);
  EXPECT_EQ(h.names().back(), "on_frontier");
  Row r = {"x", "1", "stale"};
  EXPECT_EQ(s.process(r, 2).kind, RowOutcome::kKeep);
  EXPECT_EQ(r[2], "false");
  Header again({"on_frontier", "title"});
  FrontierStage t;
  t.bind(again);
  EXPECT_EQ(again.size(), 2u);
}

TEST(FrontierMarker, MarksTheParetoRowsWhereverTheCellIs) {
  // on_frontier in the middle, quoted titles with commas and newlines, formula-like cells under --safe-csv.
  const std::vector<std::string> header = {"title", "on_frontier", "canonical_model", "is_valid_gpu",
                                           "unit_price_usd", "score", "duplicate_flag"};
  const std::vector<std::vector<std::string>> rows = {
      {"=HYPERLINK(\"x\"), \"quoted\"", "false", "A", "true", "100", "50", "PRIMARY"},   // frontier
      {"plain", "false", "B", "true", "200", "40", "PRIMARY"},                           // dominated
      {"multi\nline, title", "false", "C", "true", "300", "60", ""},                      // frontier
      {"-dup", "false", "D", "true", "50", "99", "DUPLICATE"},                          // not eligible
      {"invalid", "false", "E", "false", "10", "99", ""},                               // not eligible
      {"unknown", "false", "UNKNOWN", "true", "10", "99", ""},                          // not eligible
      {"cheap later", "false", "F", "true", "90", "55", ""}};                           // frontier, drops A
  for (const bool safe : {false, true}) {
    const std::string out = written_and_marked(header, rows, safe);
    EXPECT_EQ(column(out, "on_frontier"),
              (std::vector<std::string>{"false", "false", "true", "false", "false", "false", "true"}))
        << (safe ? "safe" : "plain");
  }
}

TEST(FrontierMarker, WithoutTheColumnsItMarksNothing) {
  const std::vector<std::string> header = {"title", "on_frontier"};
  const std::string out = written_and_marked(header, {{"a", "false"}, {"b", "false"}}, false);
  EXPECT_EQ(column(out, "on_frontier"), (std::vector<std::string>{"false", "false"}));
}

}  // namespace
}  // namespace glyphsieve
