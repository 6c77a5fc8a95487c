// HTML rendering of a Report: one self-contained page (inline CSS, inline SVG charts from svg.hpp, no script,
// no external resource; a Content-Security-Policy forbids any), with the Markdown's sections and four charts.
// Every string from the data goes through svg::escape.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "glyphsieve/report/report.hpp"
#include "report/format.hpp"
#include "report/svg.hpp"

namespace glyphsieve::report {

namespace {

using svg::escape;

constexpr std::size_t kRangeModels = 40;  // rows of the price-range chart

constexpr std::string_view kStyle = R"(
:root { --ink: #1f2933; --muted: #616e7c; --rule: #d9e2ec; --accent: #c0392b; --band: #f5f7fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; padding: 24px; max-width: 1180px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
p.note, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--band); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .value { font-size: 20px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; }
.card.failed { background: #fdecea; color: var(--accent); }
.card.passed { background: #e8f5e9; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.title { max-width: 420px; overflow-wrap: anywhere; }
svg.chart { width: 100%; max-width: 900px; height: auto; display: block; margin: 8px 0; }
tr.failed td { color: var(--accent); font-weight: 600; }
code { font-size: 12px; overflow-wrap: anywhere; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
@media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  section { break-inside: avoid-page; }
  svg.chart { max-height: 420px; }
  .two { grid-template-columns: 1fr 1fr; }
}
)";

std::string usd(const std::optional<double>& value) { return value ? format_usd(*value) : std::string("n/a"); }

std::string decimal(const std::optional<double>& value, int decimals) {
  return value ? format_decimal(*value, decimals) : std::string("n/a");
}

// Axis labels: "$80", "$1.2k", "$30k".
std::string usd_tick(double value) {
  if (value >= 1000) return "$" + format_trimmed(value / 1000, 1) + "k";
  return "$" + format_trimmed(value, 0);
}

class Writer {
 public:
  explicit Writer(const Report& report) : r_(report) {}

  std::string render() {
    const std::string& source = r_.options.source;
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Nothing may be fetched or run: the page is complete as it is.
    out_ += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
    out_ += fmt::format("<title>GPU listing report{}</title>\n", source.empty() ? "" : ": " + escape(source));
    out_ += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
    out_ += fmt::format("<header><h1>GPU listing report</h1>{}</header>\n",
                        source.empty() ? "" : "<p class=\"muted\">" + escape(source) + "</p>");
    cards();
    frontier();
    models();
    capacity_chart();
    listings("top-score", "Top listings by score",
             "Valid GPU listings with a score; ties go to the lower unit price, then the earlier line.",
             r_.top_by_score, false, "No valid GPU listing has a score.");
    listings("top-value", "Top listings by score per dollar",
             "Score per $1,000 of unit price, for scored listings with a unit price.", r_.top_by_value, true,
             "No scored listing has a unit price.");
    if (r_.under_price_limit) price_limit(*r_.under_price_limit);
    anomalies();
    duplicates();
    quality();
    if (r_.capacity_matrix) capacity_matrix(*r_.capacity_matrix);
    if (!r_.gates.empty()) gates();
    if (r_.provenance) provenance(*r_.provenance);
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void open_section(std::string_view id, std::string_view title) {
    out_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, escape(title));
  }
  void close_section() { out_ += "</section>\n"; }
  void note(std::string_view text) { out_ += fmt::format("<p class=\"note\">{}</p>\n", text); }

  // A table: `numeric` marks right-aligned columns; cells are HTML already (escaped by the caller).
  void table(const std::vector<std::string>& head, const std::vector<bool>& numeric,
             const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>& row_classes = {}) {
    out_ += "<table>\n<thead><tr>";
    for (std::size_t i = 0; i < head.size(); ++i) {
      out_ += fmt::format("<th{}>{}</th>", i < numeric.size() && numeric[i] ? " class=\"num\"" : "", head[i]);
    }
    out_ += "</tr></thead>\n<tbody>\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const bool cls = r < row_classes.size() && !row_classes[r].empty();
      out_ += cls ? fmt::format("<tr class=\"{}\">", row_classes[r]) : std::string("<tr>");
      for (std::size_t i = 0; i < rows[r].size(); ++i) {
        const char* klass =
            i < numeric.size() && numeric[i] ? " class=\"num\"" : (head[i] == "Title" ? " class=\"title\"" : "");
        out_ += fmt::format("<td{}>{}</td>", klass, rows[r][i]);
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody>\n</table>\n";
  }

  void more(std::int64_t total, std::size_t shown, std::string_view what) {
    const std::int64_t rest = total - static_cast<std::int64_t>(shown);
    if (rest > 0) note(fmt::format("…and {} more {}.", format_count(rest), escape(what)));
  }

  void card(std::string_view label, const std::string& value, std::string_view klass = {}) {
    out_ += fmt::format("<div class=\"card{}{}\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>\n",
                        klass.empty() ? "" : " ", klass, value, escape(label));
  }

  void cards() {
    const Summary& s = r_.summary;
    out_ += "<section id=\"summary\">\n<div class=\"cards\">\n";
    card("listings", format_count(s.listings));
    card("valid GPU listings analysed", format_count(s.analysed));
    card("distinct models", format_count(s.distinct_models));
    card("median unit price", usd(s.unit_price.median));
    card("on the price/score frontier", format_count(static_cast<std::int64_t>(r_.frontier.listings.size())));
    card("match rate", format_percent(r_.kpis.match_rate));
    if (!r_.gates.empty()) {
      const auto failed = std::count_if(r_.gates.begin(), r_.gates.end(), [](const GateResult& g) { return g.failed; });
      card("--fail-if gates failed", fmt::format("{} of {}", failed, r_.gates.size()), failed ? "failed" : "passed");
    }
    out_ += "</div>\n";
    const PriceStats& p = s.unit_price;
    if (p.count > 0) {
      note(
          fmt::format("Unit price over {} priced listings: min {} · median {} · mean {} · max {}. {} rows listed "
                      "({} written, {} filtered).",
                      format_count(p.count), usd(p.min), usd(p.median), usd(p.mean), usd(p.max),
                      format_count(s.listings), format_count(s.written), format_count(s.filtered)));
    }
    out_ += "</section>\n";
  }

  std::vector<std::string> listing_cells(const ListingEntry& e, std::size_t rank, bool per_dollar) const {
    std::vector<std::string> cells = {std::to_string(rank)};
    if (per_dollar) cells.push_back(decimal(e.score_per_kusd, 2));
    cells.push_back(decimal(e.score, 1));
    cells.push_back(escape(e.model));
    cells.push_back(usd(e.unit_price));
    cells.push_back(escape(e.seller));
    cells.push_back(escape(e.title));
    cells.push_back(std::to_string(e.line));
    if (!r_.capacity_keys.empty()) {
      std::string cap;
      for (std::size_t k = 0; k < r_.capacity_keys.size() && k < e.capacity.size(); ++k) {
        cap += fmt::format("{}{}:{}", cap.empty() ? "" : " ", escape(r_.capacity_keys[k]),
                           e.capacity[k] ? std::to_string(*e.capacity[k]) : "-");
      }
      cells.push_back(cap);
    }
    return cells;
  }

  void listing_table(const std::vector<ListingEntry>& entries, bool per_dollar) {
    std::vector<std::string> head = {"#"};
    std::vector<bool> numeric = {true};
    if (per_dollar) {
      head.emplace_back("Score per $1k");
      numeric.push_back(true);
    }
    for (const auto& [name, num] : std::initializer_list<std::pair<const char*, bool>>{{"Score", true},
                                                                                       {"Model", false},
                                                                                       {"Unit price", true},
                                                                                       {"Seller", false},
                                                                                       {"Title", false},
                                                                                       {"Line", true}}) {
      head.emplace_back(name);
      numeric.push_back(num);
    }
    if (!r_.capacity_keys.empty()) {
      head.emplace_back("Capacity");
      numeric.push_back(false);
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < entries.size(); ++i) rows.push_back(listing_cells(entries[i], i + 1, per_dollar));
    table(head, numeric, rows);
  }

  void listings(std::string_view id, std::string_view title, std::string_view text,
                const std::vector<ListingEntry>& entries, bool per_dollar, std::string_view empty) {
    open_section(id, title);
    if (entries.empty()) {
      note(escape(empty));
    } else {
      note(escape(text));
      listing_table(entries, per_dollar);
    }
    close_section();
  }

  void frontier() {
    const FrontierSection& f = r_.frontier;
    open_section("frontier", "Price vs score: the frontier");
    svg::ScatterSpec spec;
    spec.title = "Unit price against score; the frontier listings are highlighted";
    spec.x_label = "Unit price (USD per card, log scale)";
    spec.y_label = "Score";
    spec.log_x = true;
    spec.x_format = usd_tick;
    for (const ScatterPoint& p : f.plotted) {
      svg::Point point;
      point.x = p.unit_price;
      point.y = p.score;
      point.highlighted = p.on_frontier;
      point.label = p.model;
      point.tooltip = fmt::format("{} · {} · score {} · line {}\n{}", p.model, format_usd(p.unit_price),
                                  format_decimal(p.score, 1), p.line, p.title);
      spec.points.push_back(std::move(point));
    }
    out_ += svg::scatter(spec);
    const auto others = static_cast<std::int64_t>(f.plotted.size()) - static_cast<std::int64_t>(f.listings.size());
    note(fmt::format(
        "{} scored, priced listings{}; {} of them on the frontier (red): no other listing is at most as dear and at "
        "least as good. {}",
        format_count(f.candidates),
        r_.options.include_invalid ? "" : " (invalid, unknown-model and duplicate listings left out)",
        format_count(static_cast<std::int64_t>(f.listings.size())),
        others < f.candidates - static_cast<std::int64_t>(f.listings.size())
            ? fmt::format("The chart draws every frontier listing and a uniform sample of {} others.",
                          format_count(others))
            : std::string("The chart draws every one of them.")));
    if (!f.listings.empty()) {
      std::vector<ListingEntry> shown(f.listings.begin(), f.listings.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                                   f.listings.size(), kFrontierShown)));
      listing_table(shown, true);
      more(static_cast<std::int64_t>(f.listings.size()), shown.size(),
           "frontier listings (all are in the JSON report)");
      std::vector<std::int64_t> lines;
      for (const ListingEntry& e : f.listings) lines.push_back(e.line);
      if (const std::string flagged = frontier_anomalies(lines, f.anomaly_ratio, r_.options.anomaly_ratio);
          !flagged.empty()) {
        note(escape(flagged));
      }
    }
    close_section();
  }

  void models() {
    open_section("models", "Models: price ranges by $/GB of VRAM");
    if (r_.models.empty()) {
      note("No valid GPU listings.");
      close_section();
      return;
    }
    // The chart: the kRangeModels models with the most listings (r_.models is by count) that have a price,
    // cheapest $/GB first (models without VRAM last, by median price).
    std::vector<const ModelSummary*> priced;
    for (const ModelSummary& m : r_.models) {
      if (m.min_price && m.max_price && m.median_price && priced.size() < kRangeModels) priced.push_back(&m);
    }
    std::stable_sort(priced.begin(), priced.end(), [](const ModelSummary* a, const ModelSummary* b) {
      const double inf = std::numeric_limits<double>::infinity();
      const double ka = a->usd_per_gb.value_or(inf), kb = b->usd_per_gb.value_or(inf);
      if (ka != kb) return ka < kb;
      return *a->median_price < *b->median_price;
    });
    svg::RangeSpec spec;
    spec.title = "Unit price range (min, median, max) per model, sorted by median $/GB of VRAM";
    spec.x_label = "Unit price (USD per card, log scale)";
    spec.log_x = true;
    spec.x_format = usd_tick;
    for (const ModelSummary* m : priced) {
      spec.ranges.push_back(
          {m->model, *m->min_price, *m->median_price, *m->max_price,
           m->usd_per_gb ? format_usd(*m->usd_per_gb) + "/GB" : std::string("n/a /GB"),
           fmt::format("{}: {} – {} – {} ({} priced listings)", m->model, format_usd(*m->min_price),
                       format_usd(*m->median_price), format_usd(*m->max_price), format_count(m->priced))});
    }
    out_ += svg::ranges(spec);
    if (priced.size() == kRangeModels) {
      note(fmt::format("The chart shows the {} models with the most listings; the table has them all.", kRangeModels));
    }
    std::vector<std::string> head = {"Model", "Count", "Min", "Median", "Max", "$/GB VRAM", "Best score"};
    std::vector<bool> numeric = {false, true, true, true, true, true, true};
    for (const auto& key : r_.capacity_keys) {
      head.push_back("Capacity " + escape(key));
      numeric.push_back(true);
    }
    std::vector<std::vector<std::string>> rows;
    for (const ModelSummary& m : r_.models) {
      std::vector<std::string> cells = {escape(m.model),         format_count(m.count), usd(m.min_price),
                                        usd(m.median_price),     usd(m.max_price),      usd(m.usd_per_gb),
                                        decimal(m.best_score, 1)};
      for (const auto& value : m.capacity) cells.push_back(value ? std::to_string(*value) : "-");
      rows.push_back(std::move(cells));
    }
    table(head, numeric, rows);
    note("Prices are USD per card; $/GB = median / VRAM per card.");
    close_section();
  }

  void capacity_chart() {
    if (r_.capacity_keys.empty()) return;
    open_section("capacity", "Quantization capacity per model");
    svg::BarSpec spec;
    spec.title = "4-bit models of each size that fit on one card, per GPU model";
    spec.x_label = "Models that fit on one card";
    spec.series = r_.capacity_keys;
    for (const ModelSummary& m : r_.models) {
      svg::BarGroup g;
      g.label = m.model;
      for (const auto& value : m.capacity) {
        g.values.push_back(value ? static_cast<double>(*value) : std::numeric_limits<double>::quiet_NaN());
      }
      spec.groups.push_back(std::move(g));
    }
    out_ += svg::bars(spec);
    note("The first non-empty quantization_capacity.&lt;size&gt; value of each model's listings.");
    close_section();
  }

  void price_limit(const PriceLimitSection& p) {
    open_section("price-limit", fmt::format("Best value under {}", format_usd(p.limit)));
    if (p.top.empty()) {
      note(fmt::format("No scored listing has a unit price at or under {}.", format_usd(p.limit)));
    } else {
      note(fmt::format("Best scores among the {} scored listings at or under {} per card.", format_count(p.qualifying),
                       format_usd(p.limit)));
      listing_table(p.top, false);
    }
    close_section();
  }

  void anomalies() {
    const AnomalySection& a = r_.anomalies;
    open_section("anomalies", "Price anomalies");
    note(fmt::format(
        "Unit price above {}× or below 1/{}× its model's median (models with at least {} priced listings: {}).",
        format_trimmed(a.threshold, 2), format_trimmed(a.threshold, 2), kAnomalyMinListings,
        format_count(a.models_checked)));
    if (a.shown.empty()) {
      note("None found.");
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const Anomaly& x : a.shown) {
        rows.push_back({escape(x.listing.model), usd(x.listing.unit_price), format_usd(x.model_median),
                        format_decimal(x.ratio, 2) + "×", std::to_string(x.listing.line), escape(x.listing.title)});
      }
      table({"Model", "Unit price", "Model median", "Ratio", "Line", "Title"}, {false, true, true, true, true, false},
            rows);
      more(a.total, a.shown.size(), "anomalies");
    }
    close_section();
  }

  void duplicates() {
    const DuplicateSection& d = r_.duplicates;
    open_section("duplicates", "Duplicates");
    if (!d.dedup_ran) {
      note("Deduplication did not run (no duplicate_flag column); run the pipeline with --dedup to find them.");
    } else {
      note(fmt::format("Duplicate rows: {}.", format_count(d.count)));
      std::vector<std::vector<std::string>> rows;
      for (const DuplicateExample& x : d.shown) {
        rows.push_back(
            {std::to_string(x.line), x.duplicate_of ? std::to_string(*x.duplicate_of) : "-", escape(x.title)});
      }
      if (!rows.empty()) table({"Line", "Duplicate of", "Title"}, {true, true, false}, rows);
      more(d.count, d.shown.size(), "duplicates");
    }
    close_section();
  }

  void quality() {
    const DataQuality& q = r_.quality;
    const Kpis& k = r_.kpis;
    open_section("quality", "Data quality");
    svg::BarSpec spec;
    spec.title = "Data-quality KPIs: shares of the listings that reached the report (rejected: of the rows read)";
    spec.x_label = "Share";
    spec.css_class = "quality";
    spec.percent = true;
    spec.decimals = 1;
    spec.max_value = 1.0;
    spec.series = {"share"};
    for (const auto& [label, value] :
         std::initializer_list<std::pair<const char*, double>>{{"matched to a GPU model", k.match_rate},
                                                               {"unknown model", k.unknown_rate},
                                                               {"not a GPU", k.non_gpu_rate},
                                                               {"duplicates", k.duplicate_rate},
                                                               {"without a price", k.missing_price_rate},
                                                               {"rejected (malformed)", k.rejected_rate}}) {
      spec.groups.push_back({label, {value}});
    }
    out_ += "<div class=\"two\">\n<div>\n";
    out_ += svg::bars(spec);
    out_ += "</div>\n<div>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& [name, value] : kpi_rows(k)) rows.push_back({name, value});
    table({"KPI", "Value"}, {false, true}, rows);
    if (!k.stages.empty()) {
      std::string times;
      for (const StageTime& st : k.stages) {
        times += fmt::format("{}{} {:.3f} s", times.empty() ? "" : " · ", escape(st.name), st.seconds);
      }
      note("Time per stage: " + times + ".");
    }
    out_ += "</div>\n</div>\n";
    note(
        fmt::format("Rates are of the {} listings that reached the report; {} rows without a unit price ({} of them "
                    "analysed listings); {} distinct unmatched titles.",
                    format_count(k.listings), format_count(q.without_price), format_count(q.analysed_without_price),
                    format_count(q.unmatched_titles_total)));
    if (!q.non_gpu_reasons.empty()) {
      std::vector<std::vector<std::string>> reasons;
      for (const ReasonCount& r : q.non_gpu_reasons) reasons.push_back({escape(r.reason), format_count(r.count)});
      out_ += "<h3>Non-GPU rows by reason</h3>\n";
      table({"Reason", "Rows"}, {false, true}, reasons);
      more(q.non_gpu_reasons_total, q.non_gpu_reasons.size(), "reasons");
    }
    if (!q.unmatched_titles.empty()) {
      std::vector<std::vector<std::string>> titles;
      for (const UnmatchedTitle& t : q.unmatched_titles) {
        titles.push_back({escape(t.title), escape(t.reason), format_count(t.count)});
      }
      out_ += "<h3>Most frequent unmatched titles</h3>\n";
      table({"Title", "Reason", "Rows"}, {false, false, true}, titles);
      more(q.unmatched_titles_total, q.unmatched_titles.size(), "titles");
    }
    close_section();
  }

  void capacity_matrix(const CapacityMatrix& m) {
    open_section("matrix", "Capacity matrix");
    note(
        fmt::format("The cheapest listing that serves each model at each quantization: {} tokens of context, f16 KV "
                    "cache, one sequence per instance, tensor parallel across a listing's cards where one is not "
                    "enough. Listings priced below 1/{} of their model's median are passed over as anomalies.",
                    format_count(m.context), format_trimmed(r_.options.anomaly_ratio, 2)));
    if (m.candidates == 0) {
      note("No analysed listing has both a unit price and a memory size (vram_gb).");
      close_section();
      return;
    }
    note(fmt::format("Candidates: {} priced listings, {} distinct hardware, {} cheap listings passed over.",
                     format_count(m.candidates), format_count(m.hardware), format_count(m.skipped)));
    std::vector<std::string> head = {"Model"};
    std::vector<bool> numeric = {false};
    for (const auto& q : m.quants) {
      head.push_back(escape(q));
      numeric.push_back(false);
    }
    std::vector<std::vector<std::string>> rows;
    for (const CapacityRow& row : m.rows) {
      std::vector<std::string> cells = {escape(row.model)};
      for (const CapacityCell& c : row.cells) {
        cells.push_back(c.served ? fmt::format("{} · {}× {} · {} inst · line {}", format_usd(c.usd_per_instance),
                                               c.gpu_count, escape(c.gpu), format_count(c.instances), c.line)
                                 : "—");
      }
      rows.push_back(std::move(cells));
    }
    table(head, numeric, rows);
    close_section();
  }

  void gates() {
    open_section("gates", "Gates");
    const auto failed = std::count_if(r_.gates.begin(), r_.gates.end(), [](const GateResult& g) { return g.failed; });
    note(fmt::format("{} of {} --fail-if gates failed{}.", failed, r_.gates.size(), failed ? " (exit code 3)" : ""));
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> classes;
    for (const GateResult& g : r_.gates) {
      rows.push_back({"<code>" + escape(g.gate.text) + "</code>", escape(describe(g)), g.failed ? "failed" : "passed"});
      classes.emplace_back(g.failed ? "failed" : "");
    }
    table({"Gate", "Value", "Result"}, {false, false, false}, rows, classes);
    close_section();
  }

  void provenance(const Provenance& p) {
    open_section("provenance", "Provenance");
    const Kpis& k = r_.kpis;
    std::vector<std::vector<std::string>> rows = {
        {"Tool", escape("glyphsieve " + p.version + (p.git_describe.empty() ? "" : " (" + p.git_describe + ")"))},
        {"Command", "<code>glyphsieve " + escape(shell_join(p.arguments)) + "</code>"},
        {"Input", fmt::format("{} ({} bytes)", escape(p.input), format_count(p.input_bytes))},
        {"Input sha256", "<code>" + escape(p.input_sha256) + "</code>"},
        {"Rows", fmt::format("{} read = {} written + {} rejected + {} filtered", format_count(k.rows_read),
                             format_count(k.written), format_count(k.rejected), format_count(k.filtered))}};
    table({"", ""}, {false, false}, rows);
    std::vector<std::vector<std::string>> resources;
    for (const ResourceStamp& r : p.resources) {
      resources.push_back({escape(r.name), escape(r.origin), "<code>" + escape(r.sha256) + "</code>"});
    }
    table({"Resource", "Origin", "sha256"}, {false, false, false}, resources);
    close_section();
  }

  const Report& r_;
  std::string out_;
};

}  // namespace

std::string render_html(const Report& report) { return Writer(report).render(); }

}  // namespace glyphsieve::report
