// Markdown rendering of a Report: GitHub tables, $1,299.00 prices, one section per Report member.
// Prints only what the Report holds, so it always agrees with the JSON rendering.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "glyphsieve/report/report.hpp"
#include "report/format.hpp"

namespace glyphsieve::report {

namespace {

constexpr std::string_view kNotAvailable = "n/a";

std::string usd(const std::optional<double>& value) { return value ? format_usd(*value) : std::string(kNotAvailable); }

std::string decimal(const std::optional<double>& value, int decimals) {
  return value ? format_decimal(*value, decimals) : std::string(kNotAvailable);
}

std::string integer(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("-");
}

std::string title_cell(std::string_view title) { return md_cell(shorten(title)); }

// "7b:3 13b:1 70b:-".
std::string capacity_compact(const std::vector<std::string>& keys,
                             const std::vector<std::optional<std::int64_t>>& values) {
  std::string out;
  for (std::size_t k = 0; k < keys.size() && k < values.size(); ++k) {
    if (!out.empty()) out += ' ';
    out += keys[k] + ":" + integer(values[k]);
  }
  return md_cell(out);
}

class Writer {
 public:
  explicit Writer(const Report& report) : report_(report), capacity_(!report.capacity_keys.empty()) {}

  std::string render() {
    header();
    summary();
    models();
    listings("Top listings by score",
             "Valid GPU listings with a score; ties go to the lower unit price, then the earlier line.",
             report_.top_by_score, false, "No valid GPU listing has a score.");
    listings("Top listings by score per dollar",
             "Score per $1,000 of unit price, for scored listings with a unit price.", report_.top_by_value, true,
             "No scored listing has a unit price.");
    frontier();
    if (report_.under_price_limit) price_limit(*report_.under_price_limit);
    anomalies();
    duplicates();
    quality();
    if (report_.capacity_matrix) capacity_matrix(*report_.capacity_matrix);
    if (!report_.gates.empty()) gates();
    if (report_.provenance) provenance(*report_.provenance);
    return std::move(out_);
  }

 private:
  template <typename... Args>
  void line(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_ += '\n';
  }

  void section(std::string_view title) {
    out_ += '\n';
    line("## {}", title);
    out_ += '\n';
  }

  void table_header(const std::vector<std::string>& columns) {
    std::string names = "|", rule = "|";
    for (const auto& c : columns) {
      names += " " + c + " |";
      rule += "---|";
    }
    line("{}", names);
    line("{}", rule);
  }

  void table_row(const std::vector<std::string>& cells) {
    std::string row = "|";
    for (const auto& c : cells) row += " " + c + " |";
    line("{}", row);
  }

  void more(std::int64_t total, std::size_t shown, std::string_view what) {
    const std::int64_t rest = total - static_cast<std::int64_t>(shown);
    if (rest > 0) {
      out_ += '\n';
      line("…and {} more {}.", format_count(rest), what);
    }
  }

  void header() {
    const std::string& source = report_.options.source;
    line("# GPU listing report{}", source.empty() ? std::string() : ": " + md_cell(source));
  }

  void summary() {
    const Summary& s = report_.summary;
    section("Summary");
    line("- Listings: {} ({} written, {} filtered)", format_count(s.listings), format_count(s.written),
         format_count(s.filtered));
    line("- Valid GPUs: {} ({} analysed below: written and not duplicates)", format_count(s.valid_gpus),
         format_count(s.analysed));
    line("- Distinct models: {}", format_count(s.distinct_models));
    const PriceStats& p = s.unit_price;
    if (p.count == 0) {
      line("- Unit price (USD): n/a (no analysed listing has a unit price)");
    } else {
      line("- Unit price (USD, {} priced listings): min {} · median {} · mean {} · max {}", format_count(p.count),
           usd(p.min), usd(p.median), usd(p.mean), usd(p.max));
    }
  }

  void models() {
    section("Models");
    if (report_.models.empty()) {
      line("No valid GPU listings.");
      return;
    }
    std::vector<std::string> columns = {"Model", "Count", "Min", "Median", "Max", "$/GB VRAM", "Best score"};
    for (const auto& key : report_.capacity_keys) columns.push_back("Capacity " + md_cell(key));
    table_header(columns);
    for (const ModelSummary& m : report_.models) {
      std::vector<std::string> cells = {md_cell(m.model),        format_count(m.count), usd(m.min_price),
                                        usd(m.median_price),     usd(m.max_price),      usd(m.usd_per_gb),
                                        decimal(m.best_score, 1)};
      for (const auto& value : m.capacity) cells.push_back(integer(value));
      table_row(cells);
    }
    out_ += '\n';
    line("Prices are USD per card (min / median / max of the priced listings); $/GB = median / VRAM per card.");
    if (capacity_) line("Capacity columns: the model's first non-empty quantization_capacity.<size> value.");
  }

  void listing_table(const std::vector<ListingEntry>& entries, bool per_dollar) {
    std::vector<std::string> columns = {"#", "Score"};
    if (per_dollar) columns.insert(columns.begin() + 1, "Score per $1k");
    for (const char* c : {"Model", "Unit price", "Seller", "Title", "Line"}) columns.emplace_back(c);
    if (capacity_) columns.emplace_back("Capacity");
    table_header(columns);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const ListingEntry& e = entries[i];
      std::vector<std::string> cells = {std::to_string(i + 1)};
      if (per_dollar) cells.push_back(decimal(e.score_per_kusd, 2));
      cells.push_back(decimal(e.score, 1));
      cells.push_back(md_cell(e.model));
      cells.push_back(usd(e.unit_price));
      cells.push_back(md_cell(e.seller));
      cells.push_back(title_cell(e.title));
      cells.push_back(std::to_string(e.line));
      if (capacity_) cells.push_back(capacity_compact(report_.capacity_keys, e.capacity));
      table_row(cells);
    }
  }

  void listings(std::string_view title, std::string_view note, const std::vector<ListingEntry>& entries,
                bool per_dollar, std::string_view empty) {
    section(title);
    if (entries.empty()) {
      line("{}", empty);
      return;
    }
    line("{}", note);
    out_ += '\n';
    listing_table(entries, per_dollar);
  }

  void price_limit(const PriceLimitSection& p) {
    section(fmt::format("Best value under {}", format_usd(p.limit)));
    if (p.top.empty()) {
      line("No scored listing has a unit price at or under {}.", format_usd(p.limit));
      return;
    }
    line("Best scores among the {} scored listings at or under {} per card.", format_count(p.qualifying),
         format_usd(p.limit));
    out_ += '\n';
    listing_table(p.top, false);
  }

  void anomalies() {
    const AnomalySection& a = report_.anomalies;
    section("Price anomalies");
    line("Unit price above {}× or below 1/{}× its model's median (models with at least {} priced listings: {}).",
         format_trimmed(a.threshold, 2), format_trimmed(a.threshold, 2), kAnomalyMinListings,
         format_count(a.models_checked));
    out_ += '\n';
    if (a.shown.empty()) {
      line("None found.");
      return;
    }
    table_header({"Model", "Unit price", "Model median", "Ratio", "Line", "Title"});
    for (const Anomaly& x : a.shown) {
      table_row({md_cell(x.listing.model), usd(x.listing.unit_price), format_usd(x.model_median),
                 format_decimal(x.ratio, 2) + "×", std::to_string(x.listing.line), title_cell(x.listing.title)});
    }
    more(a.total, a.shown.size(), "anomalies");
  }

  void duplicates() {
    const DuplicateSection& d = report_.duplicates;
    section("Duplicates");
    if (!d.dedup_ran) {
      line("Deduplication did not run (no duplicate_flag column); run the pipeline with --dedup to find them.");
      return;
    }
    line("- Duplicate rows: {}", format_count(d.count));
    if (d.shown.empty()) return;
    out_ += '\n';
    table_header({"Line", "Duplicate of", "Title"});
    for (const DuplicateExample& x : d.shown) {
      table_row({std::to_string(x.line), integer(x.duplicate_of), title_cell(x.title)});
    }
    more(d.count, d.shown.size(), "duplicates");
  }

  void capacity_matrix(const CapacityMatrix& m) {
    section("Capacity matrix");
    line(
        "The cheapest listing that serves each model at each quantization: {} tokens of context, f16 KV cache, "
        "one sequence per instance, tensor parallel across a listing's cards where one is not enough "
        "(docs/capacity.md). Listings priced below 1/{} of their model's median are passed over as anomalies. "
        "A cell reads: price per instance · the listing's cards · instances it holds · its line.",
        format_count(m.context), format_trimmed(report_.options.anomaly_ratio, 2));
    out_ += '\n';
    if (m.candidates == 0) {
      line("No analysed listing has both a unit price and a memory size (vram_gb).");
      return;
    }
    line("Candidates: {} priced listings, {} distinct hardware, {} cheap listings passed over.",
         format_count(m.candidates), format_count(m.hardware), format_count(m.skipped));
    out_ += '\n';
    std::vector<std::string> columns = {"Model"};
    for (const auto& q : m.quants) columns.push_back(md_cell(q));
    table_header(columns);
    for (const CapacityRow& r : m.rows) {
      std::vector<std::string> cells = {md_cell(r.model)};
      for (const CapacityCell& c : r.cells) {
        cells.push_back(c.served ? fmt::format("{} · {}× {} · {} inst · line {}", format_usd(c.usd_per_instance),
                                               c.gpu_count, md_cell(c.gpu), format_count(c.instances), c.line)
                                 : "—");
      }
      table_row(cells);
    }
  }

  void frontier() {
    const FrontierSection& f = report_.frontier;
    section("Price/performance frontier");
    if (f.listings.empty()) {
      line("No analysed listing has both a score and a unit price.");
      return;
    }
    line(
        "The {} listings that no other beats on both unit price and score (of {} scored, priced listings{}): "
        "the best score to be had at each price.",
        format_count(static_cast<std::int64_t>(f.listings.size())), format_count(f.candidates),
        report_.options.include_invalid ? "" : "; invalid, unknown-model and duplicate listings left out");
    out_ += '\n';
    std::vector<ListingEntry> shown(f.listings.begin(), f.listings.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                                 f.listings.size(), kFrontierShown)));
    listing_table(shown, true);
    more(static_cast<std::int64_t>(f.listings.size()), shown.size(), "frontier listings (all are in the JSON report)");
    std::vector<std::int64_t> lines;
    for (const ListingEntry& e : f.listings) lines.push_back(e.line);
    if (const std::string flagged = frontier_anomalies(lines, f.anomaly_ratio, report_.options.anomaly_ratio);
        !flagged.empty()) {
      out_ += '\n';
      line("{}", flagged);
    }
  }

  void kpis() {
    const Kpis& k = report_.kpis;
    out_ += '\n';
    line("KPIs (rates of the {} listings that reached the report; the rejected rate of the {} rows read):",
         format_count(k.listings), format_count(k.rows_read));
    out_ += '\n';
    table_header({"KPI", "Value"});
    for (const auto& [name, value] : kpi_rows(k)) table_row({name, value});
    if (!k.stages.empty()) {
      std::string times;
      for (const StageTime& st : k.stages) {
        times += fmt::format("{}{} {:.3f} s", times.empty() ? "" : " · ", md_cell(st.name), st.seconds);
      }
      out_ += '\n';
      line("Time per stage: {}.", times);
    }
  }

  void gates() {
    section("Gates");
    const auto failed =
        std::count_if(report_.gates.begin(), report_.gates.end(), [](const auto& r) { return r.failed; });
    line("{} of {} --fail-if gates failed{}.", failed, report_.gates.size(), failed ? " (exit code 3)" : "");
    out_ += '\n';
    table_header({"Gate", "Result"});
    for (const GateResult& r : report_.gates) table_row({md_cell(r.gate.text), md_cell(describe(r))});
  }

  void provenance(const Provenance& p) {
    section("Provenance");
    line("- Tool: glyphsieve {}{}", md_cell(p.version),
         p.git_describe.empty() ? "" : " (" + md_cell(p.git_describe) + ")");
    line("- Command: glyphsieve {}", md_cell(shell_join(p.arguments)));
    line("- Input: {} ({} bytes, sha256 {})", md_cell(p.input), format_count(p.input_bytes), p.input_sha256);
    const Kpis& k = report_.kpis;
    line("- Rows: {} read = {} written + {} rejected + {} filtered", format_count(k.rows_read), format_count(k.written),
         format_count(k.rejected), format_count(k.filtered));
    out_ += '\n';
    table_header({"Resource", "Origin", "sha256"});
    for (const ResourceStamp& r : p.resources) table_row({md_cell(r.name), md_cell(r.origin), r.sha256});
  }

  void quality() {
    const DataQuality& q = report_.quality;
    section("Data quality");
    line("- Rows rejected before the report: {}", format_count(q.rejected));
    line("- Non-GPU rows: {}", format_count(q.non_gpu));
    line("- Unmatched titles (model UNKNOWN, not non-GPU): {} rows, {} distinct titles", format_count(q.unmatched),
         format_count(q.unmatched_titles_total));
    line("- Rows without a unit price: {} ({} of them analysed valid GPU listings)", format_count(q.without_price),
         format_count(q.analysed_without_price));
    if (!q.non_gpu_reasons.empty()) {
      out_ += '\n';
      line("Non-GPU rows by reason:");
      out_ += '\n';
      table_header({"Reason", "Rows"});
      for (const ReasonCount& r : q.non_gpu_reasons) table_row({md_cell(r.reason), format_count(r.count)});
      more(q.non_gpu_reasons_total, q.non_gpu_reasons.size(), "reasons");
    }
    if (!q.unmatched_titles.empty()) {
      out_ += '\n';
      line("Most frequent unmatched titles:");
      out_ += '\n';
      table_header({"Title", "Reason", "Rows"});
      for (const UnmatchedTitle& t : q.unmatched_titles) {
        table_row({title_cell(t.title), md_cell(t.reason), format_count(t.count)});
      }
      more(q.unmatched_titles_total, q.unmatched_titles.size(), "titles");
    }
    kpis();
  }

  const Report& report_;
  const bool capacity_;
  std::string out_;
};

}  // namespace

std::string render_markdown(const Report& report) { return Writer(report).render(); }

}  // namespace glyphsieve::report
