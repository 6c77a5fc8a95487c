// gen_listings: a deterministic synthetic GPU-listings CSV for benchmarks, shaped like
// ../shared/bench/gen_listings.py (same 11 columns and messiness) but byte-identical on any machine:
// our own PRNG (xoshiro256**), integer cents and no libm, so the workload never depends on the toolchain.
// Usage: gen_listings ROWS OUT SEED
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "glyphsieve/csv/writer.hpp"

namespace glyphsieve::bench {
namespace {

/// xoshiro256** seeded with splitmix64: fixed algorithms, so the stream is the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1) with 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n). REQUIRES: n > 0. (Modulo bias is negligible for our small n.)
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  /// Uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool chance(double p) { return uniform() < p; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

/// Index drawn from cumulative weights (`cumulative.back()` is the total).
std::size_t weighted(Rng& rng, const std::vector<double>& cumulative) {
  const double x = rng.uniform() * cumulative.back();
  std::size_t lo = 0, hi = cumulative.size() - 1;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (x < cumulative[mid]) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

std::vector<double> cumulate(const std::vector<double>& weights) {
  std::vector<double> out;
  double sum = 0;
  for (double w : weights) out.push_back(sum += w);
  return out;
}

enum class Vendor { kNvidia, kAmd, kIntel };

struct Model {
  Vendor vendor;
  std::string name;        // canonical, e.g. "NVIDIA RTX A6000 48GB"
  std::string short_name;  // without vendor and memory: "RTX A6000"
  int memory_gb;
  std::string memory_type;
  std::int64_t price_usd;
};

// One line per model: vendor;name;memory sizes (space separated);memory type;base price in USD.
// Extra memory sizes cost 15% more. Facts about real cards, our own selection.
constexpr std::string_view kModelTable = R"(N;H100 SXM5;80;HBM3;28000
N;H100 PCIe;80;HBM2e;25000
N;H100 NVL;94;HBM3;30000
N;H200 SXM;141;HBM3e;35000
N;H200 NVL;141;HBM3e;32000
N;B200;192;HBM3e;45000
N;GH200;96;HBM3;40000
N;A100 SXM4;80 40;HBM2e;15000
N;A100 PCIe;80 40;HBM2e;12000
N;A40;48;GDDR6;5000
N;A30;24;HBM2;4000
N;A16;64;GDDR6;3500
N;A10;24;GDDR6;2500
N;A2;16;GDDR6;1200
N;L40S;48;GDDR6;8000
N;L40;48;GDDR6;7000
N;L4;24;GDDR6;2500
N;T4;16;GDDR6;900
N;V100 SXM2;32 16;HBM2;1500
N;V100 PCIe;32 16;HBM2;1300
N;P100 PCIe;16 12;HBM2;250
N;P40;24;GDDR5;200
N;P4;8;GDDR5;90
N;K80;24;GDDR5;60
N;M40;24 12;GDDR5;100
N;RTX A6000;48;GDDR6;4500
N;RTX A5500;24;GDDR6;2600
N;RTX A5000;24;GDDR6;2000
N;RTX A4500;20;GDDR6;1500
N;RTX A4000;16;GDDR6;900
N;RTX A2000;12 6;GDDR6;450
N;RTX 6000 Ada;48;GDDR6;7000
N;RTX 5000 Ada;32;GDDR6;4000
N;RTX 4500 Ada;24;GDDR6;2300
N;RTX 4000 Ada;20;GDDR6;1250
N;RTX 4000 SFF Ada;20;GDDR6;1300
N;RTX 2000 Ada;16;GDDR6;700
N;Quadro RTX 8000;48;GDDR6;2500
N;Quadro RTX 6000;24;GDDR6;1500
N;Quadro RTX 5000;16;GDDR6;900
N;Quadro RTX 4000;8;GDDR6;400
N;Quadro GV100;32;HBM2;2000
N;Quadro P6000;24;GDDR5X;600
N;Quadro P5000;16;GDDR5X;350
N;Quadro P4000;8;GDDR5;180
N;Quadro P2000;5;GDDR5;120
N;Quadro M6000;24 12;GDDR5;250
N;T1000;8 4;GDDR6;300
N;T400;4 2;GDDR6;150
N;GeForce RTX 5090;32;GDDR7;2600
N;GeForce RTX 5080;16;GDDR7;1200
N;GeForce RTX 5070 Ti;16;GDDR7;850
N;GeForce RTX 5070;12;GDDR7;600
N;GeForce RTX 5060 Ti;16 8;GDDR7;450
N;GeForce RTX 4090;24;GDDR6X;1800
N;GeForce RTX 4080 SUPER;16;GDDR6X;1000
N;GeForce RTX 4080;16;GDDR6X;1050
N;GeForce RTX 4070 Ti SUPER;16;GDDR6X;800
N;GeForce RTX 4070 Ti;12;GDDR6X;720
N;GeForce RTX 4070 SUPER;12;GDDR6X;600
N;GeForce RTX 4070;12;GDDR6X;530
N;GeForce RTX 4060 Ti;8 16;GDDR6;400
N;GeForce RTX 4060;8;GDDR6;290
N;GeForce RTX 3090 Ti;24;GDDR6X;1000
N;GeForce RTX 3090;24;GDDR6X;800
N;GeForce RTX 3080 Ti;12;GDDR6X;550
N;GeForce RTX 3080;10 12;GDDR6X;450
N;GeForce RTX 3070 Ti;8;GDDR6X;350
N;GeForce RTX 3070;8;GDDR6;300
N;GeForce RTX 3060 Ti;8;GDDR6;260
N;GeForce RTX 3060;12 8;GDDR6;230
N;GeForce RTX 3050;8 6;GDDR6;180
N;GeForce RTX 2080 Ti;11;GDDR6;350
N;GeForce RTX 2080 SUPER;8;GDDR6;250
N;GeForce RTX 2080;8;GDDR6;220
N;GeForce RTX 2070 SUPER;8;GDDR6;200
N;GeForce RTX 2070;8;GDDR6;180
N;GeForce RTX 2060 SUPER;8;GDDR6;160
N;GeForce RTX 2060;6 12;GDDR6;140
N;GeForce GTX 1080 Ti;11;GDDR5X;180
N;GeForce GTX 1080;8;GDDR5X;130
N;GeForce GTX 1070 Ti;8;GDDR5;110
N;GeForce GTX 1070;8;GDDR5;100
N;GeForce GTX 1060;6 3;GDDR5;80
N;GeForce GTX 1660 SUPER;6;GDDR6;120
N;GeForce GTX 1660 Ti;6;GDDR6;120
N;GeForce GTX 1660;6;GDDR5;100
N;GeForce GTX 1650;4;GDDR6;90
N;TITAN RTX;24;GDDR6;900
N;TITAN V;12;HBM2;500
N;TITAN Xp;12;GDDR5X;250
A;Instinct MI300X;192;HBM3;20000
A;Instinct MI250X;128;HBM2e;9000
A;Instinct MI250;128;HBM2e;8000
A;Instinct MI210;64;HBM2e;5000
A;Instinct MI100;32;HBM2;1500
A;Instinct MI50;32 16;HBM2;300
A;Instinct MI25;16;HBM2;120
A;Radeon Pro W7900;48;GDDR6;3500
A;Radeon Pro W7800;32;GDDR6;2300
A;Radeon Pro W6800;32;GDDR6;1500
A;Radeon Pro W6600;8;GDDR6;500
A;Radeon Pro VII;16;HBM2;700
A;Radeon RX 9070 XT;16;GDDR6;650
A;Radeon RX 7900 XTX;24;GDDR6;850
A;Radeon RX 7900 XT;20;GDDR6;650
A;Radeon RX 7900 GRE;16;GDDR6;520
A;Radeon RX 7800 XT;16;GDDR6;450
A;Radeon RX 7700 XT;12;GDDR6;380
A;Radeon RX 7600;8;GDDR6;250
A;Radeon RX 6950 XT;16;GDDR6;550
A;Radeon RX 6900 XT;16;GDDR6;480
A;Radeon RX 6800 XT;16;GDDR6;420
A;Radeon RX 6800;16;GDDR6;370
A;Radeon RX 6700 XT;12;GDDR6;300
A;Radeon RX 6600 XT;8;GDDR6;210
A;Radeon RX 6600;8;GDDR6;180
A;Radeon VII;16;HBM2;300
A;Radeon RX 580;8 4;GDDR5;70
I;Arc A770;16 8;GDDR6;280
I;Arc A750;8;GDDR6;200
I;Arc A380;6;GDDR6;120
I;Arc B580;12;GDDR6;250
I;Arc Pro A60;12;GDDR6;350
I;Data Center GPU Max 1100;48;HBM2e;6000
I;Data Center GPU Flex 170;16;GDDR6;2000
I;Gaudi 2;96;HBM2e;9000
)";

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::vector<Model> load_models() {
  std::vector<Model> models;
  for (std::string_view line : split(kModelTable, '\n')) {
    if (line.empty()) continue;
    const auto f = split(line, ';');
    const Vendor vendor = f[0] == "N" ? Vendor::kNvidia : f[0] == "A" ? Vendor::kAmd : Vendor::kIntel;
    const char* prefix = vendor == Vendor::kNvidia ? "NVIDIA " : vendor == Vendor::kAmd ? "AMD " : "Intel ";
    bool first = true;
    for (std::string_view mem : split(f[2], ' ')) {
      const int gb = to_int(mem);
      const std::int64_t base = to_int(f[4]);
      models.push_back({vendor, prefix + std::string(f[1]) + " " + std::string(mem) + "GB", std::string(f[1]), gb,
                        std::string(f[3]), first ? base : base * 115 / 100});
      first = false;
    }
  }
  return models;
}

// Board partners and their product-line suffixes, used in titles and in partner spellings of `model`.
constexpr std::array<std::string_view, 10> kNvidiaPartners = {"ASUS", "MSI",   "Gigabyte", "EVGA",   "Zotac",
                                                              "PNY",  "Palit", "Gainward", "Inno3D", "Colorful"};
constexpr std::array<std::string_view, 7> kAmdPartners = {"Sapphire", "PowerColor", "XFX",     "ASRock",
                                                          "ASUS",     "MSI",        "Gigabyte"};
constexpr std::array<std::string_view, 4> kIntelPartners = {"Intel", "ASRock", "Sparkle", "Acer"};
constexpr std::array<std::string_view, 8> kNvidiaLines = {"Founders Edition", "TUF Gaming OC", "Gaming X Trio",
                                                          "AORUS Master",     "FTW3 Ultra",    "Trinity OC",
                                                          "XLR8 Verto",       "GameRock OC"};
constexpr std::array<std::string_view, 6> kAmdLines = {"Nitro+",         "Red Devil", "MERC 310",
                                                       "Phantom Gaming", "Pulse",     "Hellhound"};
constexpr std::array<std::string_view, 6> kPartSuffixes = {"-PB", "-SB", "", "G", "-OC", "P4"};
constexpr std::array<std::string_view, 6> kTitleExtras = {"PCIe 4.0 x16", "Dual Slot",  "Passive",
                                                          "SXM",          "w/ Bracket", "Low Profile"};
constexpr std::array<std::string_view, 4> kTitleShouts = {"[USED]", "NEW!!", "LOT OF 4 -", "FAST SHIP"};
constexpr std::array<std::string_view, 3> kTitleQuotes = {"Mint", "Tested", "Read description"};

std::string_view part_prefix(std::string_view brand) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kPrefixes = {{
      {"PNY", "VCN"},
      {"ASUS", "90YV"},
      {"MSI", "V"},
      {"Gigabyte", "GV-N"},
      {"EVGA", "24G-P5-"},
      {"Zotac", "ZT-"},
      {"Palit", "NED"},
      {"Gainward", "NED"},
      {"Inno3D", "N"},
      {"Colorful", "iG-"},
      {"Sapphire", "11"},
      {"PowerColor", "RX"},
      {"XFX", "RX-"},
      {"ASRock", "RX"},
  }};
  for (const auto& [b, p] : kPrefixes) {
    if (b == brand) return p;
  }
  return {};
}

struct Condition {
  std::string_view name;
  int weight;
  int price_percent;  // of the model's base price
};
constexpr std::array<Condition, 7> kConditions = {{{"New", 40, 100},
                                                   {"Used", 30, 72},
                                                   {"Refurbished", 12, 82},
                                                   {"Open Box", 8, 90},
                                                   {"For Parts", 2, 25},
                                                   {"Used - Like New", 5, 80},
                                                   {"Used - Good", 3, 70}}};

constexpr std::array<std::string_view, 20> kRegions = {"US-West",     "US-East",   "US-Central",  "Canada",    "UK",
                                                       "Germany",     "France",    "Netherlands", "Poland",    "Japan",
                                                       "South Korea", "Taiwan",    "Hong Kong",   "Singapore", "China",
                                                       "India",       "Australia", "Brazil",      "Mexico",    "UAE"};

struct Source {
  std::string_view type;
  int weight;
  std::array<std::string_view, 3> hosts;  // empty entries unused
  int host_count;
};
constexpr std::array<Source, 6> kSources = {{
    {"marketplace", 45, {"www.ebay.com/itm", "www.amazon.com/dp", "www.newegg.com/p"}, 3},
    {"auction", 20, {"www.ebay.com/itm", "auctions.example-liquidators.com/lot", ""}, 2},
    {"reseller", 15, {"www.serversupply.example/gpu", "www.bargainhardware.example/products", ""}, 2},
    {"forum", 8, {"www.reddit.com/r/hardwareswap/comments", "forums.servethehome.com/index.php?threads", ""}, 2},
    {"broker", 7, {"brokernet.example/listing", "gpu-exchange.example/offer", ""}, 2},
    {"retail", 5, {"www.microcenter.com/product", "www.bhphotovideo.com/c/product", ""}, 2},
}};

constexpr std::array<std::string_view, 20> kSellerFirst = {
    "tech", "gpu",  "server", "data", "pc",     "silicon", "compute", "bit",    "byte",    "cloud",
    "rack", "volt", "pixel",  "core", "tensor", "cuda",    "neural",  "liquid", "surplus", "quantum"};
constexpr std::array<std::string_view, 16> kSellerSecond = {
    "deals",     "depot", "outlet", "hub",  "traders", "surplus",   "exchange", "store",
    "warehouse", "mart",  "supply", "labs", "works",   "recyclers", "brokers",  "liquidation"};
constexpr std::array<std::string_view, 8> kCorporate = {"Inc.",      "LLC",  "Ltd",  "GmbH",
                                                        "Co., Ltd.", "S.A.", "B.V.", "Pty Ltd"};
constexpr std::array<std::string_view, 4> kSellerBadges = {"Top Rated", "Power Seller", "Verified", "Since 2009"};

// Note fragments; "{q}" becomes the quantity and "{r}" a region.
constexpr std::array<std::string_view, 20> kNotes = {
    "tested, works perfectly",
    "no original box",
    "bulk lot of {q}",
    "pulled from working server",
    "minor cosmetic scratches, fully functional",
    "includes \"blower\" style cooler",
    "ships from {r}",
    "price firm",
    "OBO",
    "warranty until 2026",
    "invoice available",
    "mining card, repasted",
    "fan noise at 100%",
    "\"as is\", no returns",
    "comes with 8-pin adapter",
    "sold as {q}x lot, individual pricing on request",
    "NVLink bridge included",
    "passive cooling, needs server airflow",
    "HP OEM version",
    "Dell OEM, \"Dell\" branded shroud",
};

constexpr std::array<int, 9> kLotSizes = {2, 3, 4, 5, 8, 10, 16, 20, 50};

std::string title_case(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to, std::size_t limit = std::string::npos) {
  std::size_t pos = 0, done = 0;
  while (done < limit && (pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
    ++done;
  }
}

std::vector<std::string> make_sellers(Rng& rng, int count) {
  std::vector<std::string> sellers;
  sellers.reserve(count);
  for (int i = 0; i < count; ++i) {
    const double kind = rng.uniform();
    std::string s;
    if (kind < 0.55) {
      s = std::string(rng.pick(kSellerFirst)) + "_" + std::string(rng.pick(kSellerSecond)) +
          std::to_string(rng.between(1, 999));
    } else if (kind < 0.90) {
      s = title_case(rng.pick(kSellerFirst)) + title_case(rng.pick(kSellerSecond)) + " " +
          std::string(rng.pick(kCorporate));
      if (rng.chance(0.25)) replace_all(s, " ", ", ", 1);  // "TechDepot, LLC": a quoted field
    } else {
      s = title_case(rng.pick(kSellerFirst)) + " " + title_case(rng.pick(kSellerSecond)) + ", " +
          std::string(rng.pick(kCorporate));
    }
    if (rng.chance(0.02)) s += " \"" + std::string(rng.pick(kSellerBadges)) + "\"";
    sellers.push_back(std::move(s));
  }
  return sellers;
}

/// How a seller mangles a canonical name in the `model` column.
std::string messy_model(Rng& rng, const Model& m) {
  std::string s = m.name;
  switch (rng.below(9)) {
    case 0:
      for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
      break;
    case 1:
      for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      break;
    case 2:
      replace_all(s, "NVIDIA ", "");
      replace_all(s, "GeForce ", "");
      break;
    case 3:
      replace_all(s, " ", "");
      break;
    case 4:
      replace_all(s, "GB", " GB");
      break;
    case 5:
      replace_all(s, "NVIDIA ", "Nvidia ");
      replace_all(s, "GeForce ", "Geforce ");
      break;
    case 6:
      replace_all(s, "RTX", "RTX-");
      break;
    case 7:
      s += " (OEM)";
      break;
    default: {  // a board partner's spelling: "MSI GeForce RTX 4070 12GB Gaming X Trio"
      if (m.vendor == Vendor::kNvidia) {
        s = std::string(rng.pick(kNvidiaPartners)) + " " + m.short_name + " " + std::to_string(m.memory_gb) + "GB " +
            std::string(rng.pick(kNvidiaLines));
      } else if (m.vendor == Vendor::kAmd) {
        s = std::string(rng.pick(kAmdPartners)) + " " + m.short_name + " " + std::to_string(m.memory_gb) + "GB " +
            std::string(rng.pick(kAmdLines));
      }
    }
  }
  return s;
}

std::string part_number(Rng& rng, std::string_view brand, const Model& m) {
  std::string pn(part_prefix(brand));
  int kept = 0;
  for (char c : m.short_name) {
    if (kept == 10) break;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      pn += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
      ++kept;
    }
  }
  pn += std::to_string(m.memory_gb);
  pn += rng.pick(kPartSuffixes);
  return pn;
}

std::string make_title(Rng& rng, const Model& m) {
  std::string_view brand, line;
  if (m.vendor == Vendor::kNvidia) {
    brand = rng.pick(kNvidiaPartners);
    if (m.short_name.starts_with("GeForce") && rng.chance(0.6)) line = rng.pick(kNvidiaLines);
  } else if (m.vendor == Vendor::kAmd) {
    brand = rng.pick(kAmdPartners);
    if (m.short_name.starts_with("Radeon RX") && rng.chance(0.6)) line = rng.pick(kAmdLines);
  } else {
    brand = rng.pick(kIntelPartners);
  }
  std::string t;
  const double r = rng.uniform();
  if (r > 0.93) {
    t += rng.pick(kTitleShouts);
    t += ' ';
  }
  t += brand;
  // Brand names read "PNY NVIDIA RTX A6000" on datacenter and workstation cards.
  if (m.vendor == Vendor::kNvidia && !m.short_name.starts_with("GeForce") && rng.chance(0.5)) t += " NVIDIA";
  t += ' ';
  t += m.short_name;
  if (!line.empty()) {
    t += ' ';
    t += line;
  }
  t += ' ';
  t += std::to_string(m.memory_gb);
  t += "GB ";
  t += m.memory_type;
  t += ' ';
  t += part_number(rng, brand, m);
  if (r < 0.1) {
    t += ' ';
    t += rng.pick(kTitleExtras);
  }
  if (rng.chance(0.05)) replace_all(t, " ", "  ", 1);
  if (rng.chance(0.03)) t += ", \"" + std::string(rng.pick(kTitleQuotes)) + "\"";
  return t;
}

/// exp(x) for |x| < 1 by its Taylor series: plain + and *, so every IEEE machine agrees (std::exp may not).
double exp_small(double x) {
  double term = 1, sum = 1;
  for (int k = 1; k < 14; ++k) {
    term = term * x / k;
    sum += term;
  }
  return sum;
}

/// Roughly lognormal(0, 0.18): an Irwin-Hall sum of four uniforms stands in for the normal.
double price_noise(Rng& rng) {
  const double z = (rng.uniform() + rng.uniform() + rng.uniform() + rng.uniform() - 2.0) * 1.7320508075688772;
  return exp_small(0.18 * z);
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

/// Formats cents in one of the spellings sellers use: "1299.99" mostly, "$1,299.99", "USD 1,299",
/// "1299.99 USD", and now and then no price at all ("Call for price", blank).
std::string format_price(Rng& rng, std::int64_t cents) {
  const std::int64_t dollars = cents / 100, rest = cents % 100;
  std::string plain;
  append_int(plain, dollars);
  std::string grouped;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && (plain.size() - i) % 3 == 0) grouped += ',';
    grouped += plain[i];
  }
  std::string frac = {static_cast<char>('0' + rest / 10), static_cast<char>('0' + rest % 10)};
  const double r = rng.uniform();
  if (r < 0.70) return plain + "." + frac;
  if (r < 0.88) return "$" + grouped + "." + frac;
  if (r < 0.94) return "USD " + grouped;
  if (r < 0.98) return plain + "." + frac + " USD";
  if (r < 0.99) return "Call for price";
  return "";
}

std::string fill_note(std::string_view tmpl, int quantity, std::string_view region) {
  std::string s(tmpl);
  replace_all(s, "{q}", std::to_string(quantity));
  replace_all(s, "{r}", region);
  return s;
}

int run(std::int64_t rows, const char* out_path, std::uint64_t seed) {
  Rng rng(seed);
  const std::vector<Model> models = load_models();
  const std::vector<std::string> sellers = make_sellers(rng, 5000);

  // Zipf-like popularity over a shuffled model order.
  std::vector<std::size_t> order(models.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  std::vector<double> popularity;
  for (std::size_t i = 0; i < models.size(); ++i) {
    // 1 / (i+1)^0.8 without libm: (i+1)^0.8 = (i+1) / (i+1)^0.2, the fifth root by Newton's method.
    const double n = static_cast<double>(i + 1);
    double root = 1 + (n - 1) / 5;
    for (int k = 0; k < 60; ++k) root = root - (root * root * root * root * root - n) / (5 * root * root * root * root);
    popularity.push_back(root / n);
  }
  const std::vector<double> model_cdf = cumulate(popularity);
  std::vector<double> cond_w, source_w;
  for (const auto& c : kConditions) cond_w.push_back(c.weight);
  for (const auto& s : kSources) source_w.push_back(s.weight);
  const std::vector<double> cond_cdf = cumulate(cond_w), source_cdf = cumulate(source_w);

  std::FILE* out = std::fopen(out_path, "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "gen_listings: cannot write %s\n", out_path);
    return 1;
  }
  std::string buf =
      "model,condition,price,quantity,seller,geographic_region,listing_age,source_url,source_type,bulk_notes,title\n";
  std::string cell;
  auto field = [&](std::string_view value, char end) {
    CsvWriter::append_field(buf, value);
    buf += end;
  };
  for (std::int64_t i = 0; i < rows; ++i) {
    const Model& m = models[order[weighted(rng, model_cdf)]];
    const double r = rng.uniform();
    field(r < 0.03 ? std::string() : r < 0.18 ? messy_model(rng, m) : m.name, ',');
    const Condition& cond = kConditions[weighted(rng, cond_cdf)];
    field(cond.name, ',');
    const double price = static_cast<double>(m.price_usd * cond.price_percent) * price_noise(rng);  // in cents
    field(format_price(rng, static_cast<std::int64_t>(price + 0.5)), ',');
    const int quantity = rng.chance(0.8) ? 1 : rng.pick(kLotSizes);
    cell.clear();
    append_int(cell, quantity);
    field(cell, ',');
    field(rng.pick(sellers), ',');
    field(rng.pick(kRegions), ',');
    cell.clear();
    append_int(cell, rng.between(0, 365));
    field(cell, ',');
    const Source& src = kSources[weighted(rng, source_cdf)];
    cell = "https://";
    cell += src.hosts[rng.below(static_cast<std::uint64_t>(src.host_count))];
    cell += '/';
    append_int(cell, rng.between(1'000'000'000, 9'999'999'999));
    field(cell, ',');
    field(src.type, ',');
    cell.clear();
    if (!rng.chance(0.6)) {
      const std::string_view region = rng.pick(kRegions);
      const auto k = rng.between(1, 3);
      std::array<std::size_t, 3> used{};
      for (std::int64_t j = 0; j < k; ++j) {
        std::size_t n;
        bool seen;
        do {  // distinct fragments
          n = rng.below(kNotes.size());
          seen = false;
          for (std::int64_t u = 0; u < j; ++u) seen = seen || used[u] == n;
        } while (seen);
        used[j] = n;
        if (j > 0) cell += "; ";
        cell += fill_note(kNotes[n], quantity, region);
      }
    }
    field(cell, ',');
    field(make_title(rng, m), '\n');
    if (buf.size() > (1u << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), out);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "gen_listings: write failed: %s\n", out_path);
    return 1;
  }
  std::fprintf(stderr, "gen_listings: wrote %lld rows, %zu canonical models -> %s\n", static_cast<long long>(rows),
               models.size(), out_path);
  return 0;
}

}  // namespace
}  // namespace glyphsieve::bench

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gen_listings ROWS OUT SEED\n");
    return 2;
  }
  char* end = nullptr;
  const long long rows = std::strtoll(argv[1], &end, 10);
  if (*end != '\0' || rows < 0) {
    std::fprintf(stderr, "gen_listings: ROWS must be a non-negative integer: %s\n", argv[1]);
    return 2;
  }
  const unsigned long long seed = std::strtoull(argv[3], &end, 10);
  if (*end != '\0') {
    std::fprintf(stderr, "gen_listings: SEED must be an integer: %s\n", argv[3]);
    return 2;
  }
  return glyphsieve::bench::run(rows, argv[2], seed);
}
