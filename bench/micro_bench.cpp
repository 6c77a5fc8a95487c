// Micro-benchmarks of the hot pieces of a pipeline run (issue 5): CSV read and write, price parsing,
// title matching (cache hits and misses), registry lookup and each heuristic. They say where a whole-file
// regression comes from; scripts/bench measures the whole process. Inputs are built in memory.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "glyphsieve/csv/reader.hpp"
#include "glyphsieve/csv/writer.hpp"
#include "glyphsieve/heuristics/heuristic.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve {
namespace {

/// The embedded resources, decoded once for every benchmark.
ResourceContext& resources() {
  static ResourceContext ctx;
  return ctx;
}

/// A small fixed PRNG (splitmix64) so inputs are the same on every machine and run.
struct Mix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

const std::vector<std::string> kBrands = {"PNY", "ASUS", "MSI", "Gigabyte", "Zotac", "Sapphire", "XFX", "Dell OEM"};
const std::vector<std::string> kExtras = {"", " Used", " PCIe 4.0 x16", " Tested", " LOT OF 2", " w/ box"};

/// Listing titles built from the registry's model ids, with brand, memory and noise words.
/// `distinct` makes every title unique (a serial number at the end) so no cache can help.
std::vector<std::string> make_titles(std::size_t count, bool distinct) {
  const auto& reg = resources().registry();
  Mix mix{7};
  std::vector<std::string> titles;
  titles.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const GpuSpec& spec = reg.models[mix.below(reg.models.size())];
    std::string t = kBrands[mix.below(kBrands.size())] + " " + spec.id + " " +
                    std::to_string(static_cast<int>(spec.vram_gb)) + "GB " + spec.memory_type +
                    kExtras[mix.below(kExtras.size())];
    if (distinct) t += " SN" + std::to_string(100000 + i);
    titles.push_back(std::move(t));
  }
  return titles;
}

std::string price_cell(std::size_t dollars) {
  std::string cell = "$";  // built by appending: GCC 12 warns (-Wrestrict) on "$" + std::string
  cell += std::to_string(dollars);
  cell += ".99";
  return cell;
}

/// A 10k-row listings CSV shaped like bench/gen_listings output (quoted sellers, blank notes).
const std::string& listings_csv() {
  static const std::string csv = [] {
    const auto titles = make_titles(10'000, false);
    Mix mix{42};
    std::ostringstream out;
    CsvWriter w(out);
    w.write_row({"model", "condition", "price", "quantity", "seller", "geographic_region", "listing_age", "source_url",
                 "source_type", "bulk_notes", "title"});
    for (std::size_t i = 0; i < titles.size(); ++i) {
      w.write_row(
          {titles[i].substr(0, titles[i].find(' ', 4)), i % 3 ? "Used" : "New", price_cell(100 + mix.below(30000)), "1",
           i % 10 ? "gpu_depot" + std::to_string(i % 997) : "TechDepot, LLC \"Verified\"", "US-West",
           std::to_string(mix.below(366)), "https://www.ebay.com/itm/" + std::to_string(mix.next() % 1000000000),
           "marketplace", i % 5 < 3 ? "" : "tested, works perfectly; no original box", titles[i]});
    }
    w.flush();
    return out.str();
  }();
  return csv;
}

void BM_CsvRead(benchmark::State& state) {
  const std::string& csv = listings_csv();
  std::int64_t rows = 0;
  for (auto _ : state) {
    std::istringstream in(csv);
    CsvReader reader(in, "bench.csv");
    Row row;
    while (reader.next(row)) ++rows;
    benchmark::DoNotOptimize(row.data());
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
}
BENCHMARK(BM_CsvRead)->Unit(benchmark::kMillisecond);

void BM_CsvWrite(benchmark::State& state) {
  std::vector<Row> rows;
  {
    std::istringstream in(listings_csv());
    CsvReader reader(in, "bench.csv");
    Row row;
    while (reader.next(row)) rows.push_back(row);
  }
  std::int64_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    CsvWriter w(out);
    for (const Row& r : rows) w.write_row(r);
    w.flush();
    bytes += static_cast<std::int64_t>(out.tellp());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows.size()));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_CsvWrite)->Unit(benchmark::kMillisecond);

void BM_PriceParse(benchmark::State& state) {
  const std::vector<std::string> cells = {
      "1299.99", "$1,299.99",  "USD 1,299", "1299.00 USD", "€1.299,00", "£949",    "Call for price", "",
      "849.5",   "$24,500.00", "12,49O.00", "N/A",         "2,650 EUR", "¥128000", "35000"};
  const PriceParser parser(resources().currencies());
  const std::string hint;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parser.parse(cells[i], hint));
    if (++i == cells.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PriceParse);

std::shared_ptr<const Matcher> matcher() {
  static const auto m = std::make_shared<const Matcher>(resources().registry(), resources().model_patterns(), 80);
  return m;
}

/// Titles through NormalizeStage: 200 distinct titles repeated, as in real files, so most hit its cache.
void BM_NormalizeHitMix(benchmark::State& state) {
  const auto distinct = make_titles(200, false);
  NormalizeStage stage(matcher(), false);
  Header header({"title"});
  stage.bind(header);
  Row row(header.size());
  Mix mix{3};
  for (auto _ : state) {
    row.assign(header.size(), std::string());
    row[0] = distinct[mix.below(distinct.size())];
    benchmark::DoNotOptimize(stage.process(row, 2));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeHitMix);

/// Every title distinct, straight to Matcher::match: the cost of a cache miss.
void BM_MatcherMissMix(benchmark::State& state) {
  const auto titles = make_titles(20'000, true);
  const auto& m = *matcher();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.match(titles[i]));
    if (++i == titles.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MatcherMissMix);

void BM_RegistryLookup(benchmark::State& state) {
  const auto& reg = resources().registry();
  std::vector<std::string> ids;
  for (const auto& spec : reg.models) ids.push_back(spec.id);
  ids.push_back("UNKNOWN");  // a miss, as for unidentified rows
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reg.find(ids[i]));
    if (++i == ids.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistryLookup);

/// Typed listings from the registry specs (every model once, plus one with nothing known).
std::vector<EnrichedGPUListing> make_listings() {
  std::vector<EnrichedGPUListing> out;
  for (const auto& spec : resources().registry().models) {
    EnrichedGPUListing g;
    g.canonical_model = spec.id;
    g.vendor = spec.vendor;
    g.vram_gb = spec.vram_gb;
    g.tdp_watts = spec.tdp_watts.value_or(0);  // 0 W for a spec without one: only the mix matters here
    g.mig_support = spec.mig_support;
    g.nvlink = spec.nvlink;
    out.push_back(std::move(g));
  }
  out.push_back(EnrichedGPUListing{});
  return out;
}

void BM_Heuristic(benchmark::State& state, const char* name) {
  const auto strategy = make_heuristic(name, resources());
  const auto listings = make_listings();
  HeuristicResult result;
  std::size_t i = 0;
  for (auto _ : state) {
    result.values.clear();
    result.warnings.clear();
    strategy->evaluate(listings[i], result);
    benchmark::DoNotOptimize(result.values.data());
    if (++i == listings.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Heuristic, quantization_capacity, "quantization_capacity");
BENCHMARK_CAPTURE(BM_Heuristic, quantization_capable, "quantization_capable");

}  // namespace
}  // namespace glyphsieve
