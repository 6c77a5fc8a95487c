// JSON rendering of a Report: the same data as the Markdown, keys in a fixed order, numbers rounded as shown
// there. Capacity keys appear only when the Report has capacity columns.
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "glyphsieve/report/report.hpp"

namespace glyphsieve::report {

namespace {

using Json = nlohmann::ordered_json;

// Rounds to `digits` decimals, as the Markdown prints it; null when unknown.
Json number(const std::optional<double>& value, int digits = 2) {
  if (!value) return nullptr;
  const double scale = std::pow(10.0, digits);
  const double rounded = std::round(*value * scale) / scale;
  return std::isfinite(rounded) ? rounded : *value;
}

Json integer(const std::optional<std::int64_t>& value) { return value ? Json(*value) : Json(nullptr); }

Json capacity(const std::vector<std::string>& keys, const std::vector<std::optional<std::int64_t>>& values) {
  Json out = Json::object();
  for (std::size_t k = 0; k < keys.size() && k < values.size(); ++k) out[keys[k]] = integer(values[k]);
  return out;
}

Json listing(const Report& report, const ListingEntry& e) {
  Json j;
  j["line"] = e.line;
  j["model"] = e.model;
  j["score"] = number(e.score, 1);
  j["unit_price_usd"] = number(e.unit_price);
  j["score_per_1k_usd"] = number(e.score_per_kusd);
  j["seller"] = e.seller;
  j["title"] = e.title;
  if (!report.capacity_keys.empty()) j["quantization_capacity"] = capacity(report.capacity_keys, e.capacity);
  return j;
}

Json listings(const Report& report, const std::vector<ListingEntry>& entries) {
  Json out = Json::array();
  for (const ListingEntry& e : entries) out.push_back(listing(report, e));
  return out;
}

Json summary(const Summary& s) {
  Json j;
  j["listings"] = s.listings;
  j["written"] = s.written;
  j["filtered"] = s.filtered;
  j["valid_gpus"] = s.valid_gpus;
  j["analysed"] = s.analysed;
  j["distinct_models"] = s.distinct_models;
  Json p;
  p["count"] = s.unit_price.count;
  p["min"] = number(s.unit_price.min);
  p["median"] = number(s.unit_price.median);
  p["mean"] = number(s.unit_price.mean);
  p["max"] = number(s.unit_price.max);
  j["unit_price_usd"] = std::move(p);
  return j;
}

Json models(const Report& report) {
  Json out = Json::array();
  for (const ModelSummary& m : report.models) {
    Json j;
    j["model"] = m.model;
    j["count"] = m.count;
    j["priced"] = m.priced;
    j["min_price_usd"] = number(m.min_price);
    j["median_price_usd"] = number(m.median_price);
    j["max_price_usd"] = number(m.max_price);
    j["vram_gb"] = m.vram_gb ? Json(*m.vram_gb) : Json(nullptr);
    j["usd_per_gb"] = number(m.usd_per_gb);
    j["best_score"] = number(m.best_score, 1);
    if (!report.capacity_keys.empty()) j["quantization_capacity"] = capacity(report.capacity_keys, m.capacity);
    out.push_back(std::move(j));
  }
  return out;
}

Json anomalies(const Report& report) {
  const AnomalySection& a = report.anomalies;
  Json j;
  j["ratio_threshold"] = a.threshold;
  j["min_priced_listings"] = kAnomalyMinListings;
  j["models_checked"] = a.models_checked;
  j["total"] = a.total;
  Json shown = Json::array();
  for (const Anomaly& x : a.shown) {
    Json item = listing(report, x.listing);
    item["model_median_usd"] = number(x.model_median);
    item["ratio"] = number(x.ratio);
    shown.push_back(std::move(item));
  }
  j["listings"] = std::move(shown);
  j["more"] = a.total - static_cast<std::int64_t>(a.shown.size());
  return j;
}

Json duplicates(const DuplicateSection& d) {
  Json j;
  j["dedup_ran"] = d.dedup_ran;
  if (!d.dedup_ran) return j;
  j["count"] = d.count;
  Json shown = Json::array();
  for (const DuplicateExample& x : d.shown) {
    shown.push_back(Json{{"line", x.line}, {"duplicate_of", integer(x.duplicate_of)}, {"title", x.title}});
  }
  j["examples"] = std::move(shown);
  j["more"] = d.count - static_cast<std::int64_t>(d.shown.size());
  return j;
}

Json quality(const DataQuality& q) {
  Json j;
  j["rejected"] = q.rejected;
  j["non_gpu"] = q.non_gpu;
  Json reasons = Json::array();
  for (const ReasonCount& r : q.non_gpu_reasons) reasons.push_back(Json{{"reason", r.reason}, {"count", r.count}});
  j["non_gpu_reasons"] = std::move(reasons);
  j["non_gpu_reasons_total"] = q.non_gpu_reasons_total;
  j["unmatched"] = q.unmatched;
  Json titles = Json::array();
  for (const UnmatchedTitle& t : q.unmatched_titles) {
    titles.push_back(Json{{"title", t.title}, {"reason", t.reason}, {"count", t.count}});
  }
  j["unmatched_titles"] = std::move(titles);
  j["unmatched_titles_total"] = q.unmatched_titles_total;
  j["without_price"] = q.without_price;
  j["analysed_without_price"] = q.analysed_without_price;
  return j;
}

Json capacity_matrix(const CapacityMatrix& m) {
  Json j;
  j["context"] = m.context;
  j["kv_dtype"] = "f16";
  j["quants"] = m.quants;
  j["candidates"] = m.candidates;
  j["hardware"] = m.hardware;
  j["skipped_as_anomalies"] = m.skipped;
  Json rows = Json::array();
  for (const CapacityRow& r : m.rows) {
    Json cells = Json::object();
    for (const CapacityCell& c : r.cells) {
      if (!c.served) {
        cells[c.quant] = nullptr;
        continue;
      }
      Json cell;
      cell["line"] = c.line;
      cell["title"] = c.title;
      cell["gpu"] = c.gpu;
      cell["gpu_count"] = c.gpu_count;
      cell["instances"] = c.instances;
      cell["usd_per_instance"] = number(c.usd_per_instance);
      cell["tokens_per_s"] = number(c.tokens_per_s, 1);
      cells[c.quant] = std::move(cell);
    }
    rows.push_back(Json{{"model", r.model}, {"cheapest", std::move(cells)}});
  }
  j["rows"] = std::move(rows);
  return j;
}

Json frontier(const Report& report) {
  const FrontierSection& f = report.frontier;
  Json j;
  j["candidates"] = f.candidates;
  j["plotted"] = f.plotted.size();
  Json out = Json::array();
  for (std::size_t i = 0; i < f.listings.size(); ++i) {
    Json item = listing(report, f.listings[i]);
    item["price_anomaly_ratio"] = number(i < f.anomaly_ratio.size() ? f.anomaly_ratio[i] : std::nullopt);
    out.push_back(std::move(item));
  }
  j["listings"] = std::move(out);
  return j;
}

// Rates to 4 decimals (0.01%), like the Markdown's percentages with two decimals.
Json kpis(const Kpis& k) {
  Json j;
  j["rows_read"] = k.rows_read;
  j["written"] = k.written;
  j["filtered"] = k.filtered;
  j["rejected"] = k.rejected;
  j["listings"] = k.listings;
  j["rejected_rate"] = number(k.rejected_rate, 4);
  j["match_rate"] = number(k.match_rate, 4);
  j["unknown_rate"] = number(k.unknown_rate, 4);
  j["non_gpu_rate"] = number(k.non_gpu_rate, 4);
  j["duplicate_rate"] = number(k.duplicate_rate, 4);
  j["missing_price_rate"] = number(k.missing_price_rate, 4);
  j["seconds"] = number(k.seconds, 3);
  Json stages = Json::array();
  for (const StageTime& s : k.stages) {
    stages.push_back(Json{{"name", s.name}, {"rows_in", s.rows_in}, {"seconds", number(s.seconds, 3)}});
  }
  j["stages"] = std::move(stages);
  return j;
}

Json gates(const std::vector<GateResult>& results) {
  Json out = Json::array();
  for (const GateResult& r : results) {
    Json j;
    j["gate"] = r.gate.text;
    j["kpi"] = r.gate.kpi;
    j["op"] = to_string(r.gate.op);
    j["threshold"] = r.gate.threshold;
    j["value"] = r.value ? Json(*r.value) : Json(nullptr);
    j["failed"] = r.failed;
    out.push_back(std::move(j));
  }
  return out;
}

Json provenance(const Provenance& p) {
  Json j;
  j["tool"] = "glyphsieve";
  j["version"] = p.version;
  j["git_describe"] = p.git_describe;
  j["command"] = p.command;
  j["arguments"] = p.arguments;
  Json resources = Json::array();
  for (const ResourceStamp& r : p.resources) {
    resources.push_back(Json{{"name", r.name}, {"origin", r.origin}, {"sha256", r.sha256}});
  }
  j["resources"] = std::move(resources);
  j["input"] = Json{{"path", p.input}, {"sha256", p.input_sha256}, {"bytes", p.input_bytes}};
  return j;
}

// Invalid UTF-8 in scraped titles is replaced (U+FFFD) rather than thrown on.
std::string dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string render_summary_json(const Report& report) {
  Json j;
  if (report.provenance) j["provenance"] = provenance(*report.provenance);
  j["kpis"] = kpis(report.kpis);
  j["gates"] = gates(report.gates);
  j["passed"] = std::none_of(report.gates.begin(), report.gates.end(), [](const GateResult& r) { return r.failed; });
  return dump(j);
}

std::string render_json(const Report& report) {
  Json j;
  j["source"] = report.options.source;
  Json options;
  options["top"] = report.options.top;
  options["price_limit_usd"] = number(report.options.price_limit);
  options["anomaly_ratio"] = report.options.anomaly_ratio;
  options["include_invalid"] = report.options.include_invalid;
  j["options"] = std::move(options);
  if (!report.capacity_keys.empty()) j["quantization_capacity_keys"] = report.capacity_keys;
  j["summary"] = summary(report.summary);
  j["models"] = models(report);
  j["top_by_score"] = listings(report, report.top_by_score);
  j["top_by_score_per_dollar"] = listings(report, report.top_by_value);
  if (report.under_price_limit) {
    const PriceLimitSection& p = *report.under_price_limit;
    Json section;
    section["limit_usd"] = number(p.limit);
    section["qualifying"] = p.qualifying;
    section["listings"] = listings(report, p.top);
    j["best_under_price_limit"] = std::move(section);
  } else {
    j["best_under_price_limit"] = nullptr;
  }
  j["price_anomalies"] = anomalies(report);
  j["duplicates"] = duplicates(report.duplicates);
  j["data_quality"] = quality(report.quality);
  if (report.capacity_matrix) j["capacity_matrix"] = capacity_matrix(*report.capacity_matrix);
  j["frontier"] = frontier(report);
  j["kpis"] = kpis(report.kpis);
  j["gates"] = gates(report.gates);
  if (report.provenance) j["provenance"] = provenance(*report.provenance);
  return dump(j);
}

}  // namespace glyphsieve::report
