// probe: parsing nvidia-smi's --query-gpu CSV as real drivers print it, and the listing row of a GPU.
// The lines follow real output of `nvidia-smi --query-gpu=... --format=csv` (names and MiB as drivers
// report them; UUIDs and bus ids made up in the real shapes).
#include "glyphsieve/capacity/probe.hpp"

#include <gtest/gtest.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

constexpr const char* kHeader = "index, name, uuid, pci.bus_id, memory.total [MiB], driver_version, mig.mode.current\n";

// The message of the Error that parsing `text` throws, with its location ("" if it does not throw).
std::string error_of(std::string_view text) {
  try {
    parse_nvidia_smi(text, "nvidia-smi");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError);
    return e.what();
  }
  return "";
}

TEST(ProbeParse, ReadsEveryFieldOfRealLines) {
  const std::string text = std::string(kHeader) +
                           "0, NVIDIA H100 80GB HBM3, GPU-5b1a7c3e-9d2f-4e8a-b6c1-0f3d2e9a8b71, 00000000:18:00.0, "
                           "81559 MiB, 550.54.15, Disabled\n"
                           "1, NVIDIA GeForce RTX 4090, GPU-0c4e9a12-7b3d-4f21-8e5a-3d6b1c9f2e40, 00000000:AF:00.0, "
                           "24564 MiB, 550.54.15, [N/A]\n";
  const auto gpus = parse_nvidia_smi(text, "nvidia-smi");
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].index, 0);
  EXPECT_EQ(gpus[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpus[0].uuid, "GPU-5b1a7c3e-9d2f-4e8a-b6c1-0f3d2e9a8b71");
  EXPECT_EQ(gpus[0].pci_bus_id, "00000000:18:00.0");
  EXPECT_EQ(gpus[0].memory_total_mib, 81559.0);
  EXPECT_EQ(gpus[0].driver_version, "550.54.15");
  EXPECT_EQ(gpus[0].mig_mode, "Disabled");
  EXPECT_EQ(gpus[1].index, 1);
  EXPECT_EQ(gpus[1].name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(gpus[1].memory_total_mib, 24564.0);
  EXPECT_EQ(gpus[1].mig_mode, "");  // GeForce cards have no MIG: [N/A]
}

TEST(ProbeParse, DataCentreAndWorkstationCards) {
  const std::string text = std::string(kHeader) +
                           "0, NVIDIA A100-SXM4-80GB, GPU-242d3c90-db9c-a49e-e2b9-ddb0b36f1ba3, 00000000:07:00.0, "
                           "81920 MiB, 535.129.03, Disabled\n"
                           "1, NVIDIA RTX A6000, GPU-8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, 00000000:41:00.0, "
                           "49140 MiB, 535.129.03, [N/A]\n"
                           "2, Tesla T4, GPU-3c2b1a09-8f7e-6d5c-4b3a-2f1e0d9c8b7a, 00000000:00:04.0, "
                           "15360 MiB, 535.129.03, [N/A]\n";
  const auto gpus = parse_nvidia_smi(text, "nvidia-smi");
  ASSERT_EQ(gpus.size(), 3u);
  EXPECT_EQ(gpus[0].name, "NVIDIA A100-SXM4-80GB");
  EXPECT_EQ(gpus[0].memory_total_mib, 81920.0);
  EXPECT_EQ(gpus[1].name, "NVIDIA RTX A6000");
  EXPECT_EQ(gpus[1].memory_total_mib, 49140.0);
  EXPECT_EQ(gpus[2].name, "Tesla T4");
  EXPECT_EQ(gpus[2].memory_total_mib, 15360.0);
  EXPECT_EQ(gpus[2].pci_bus_id, "00000000:00:04.0");
}

TEST(ProbeParse, MigEnabledA100) {
  // With MIG on, nvidia-smi still lists the physical GPU, with its whole memory.
  const auto gpus = parse_nvidia_smi(std::string(kHeader) +
                                         "0, NVIDIA A100-SXM4-80GB, GPU-9e1d2c3b-4a59-6877-9a8b-7c6d5e4f3a21, "
                                         "00000000:07:00.0, 81920 MiB, 550.54.15, Enabled\n",
                                     "nvidia-smi");
  ASSERT_EQ(gpus.size(), 1u);
  EXPECT_EQ(gpus[0].mig_mode, "Enabled");
  EXPECT_EQ(gpus[0].memory_total_mib, 81920.0);
}

TEST(ProbeParse, ColumnsAreFoundByHeaderNameInAnyOrder) {
  const auto gpus = parse_nvidia_smi(
      "memory.total [MiB], name, clocks.current.sm [MHz], index\n"
      "81559 MiB, NVIDIA H100 80GB HBM3, 345 MHz, 3\n",
      "nvidia-smi");
  ASSERT_EQ(gpus.size(), 1u);
  EXPECT_EQ(gpus[0].index, 3);
  EXPECT_EQ(gpus[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpus[0].memory_total_mib, 81559.0);
  EXPECT_EQ(gpus[0].uuid, "");  // not asked for: empty
  EXPECT_EQ(gpus[0].mig_mode, "");
}

TEST(ProbeParse, NoUnitsAndCrlf) {
  // --format=csv,nounits keeps the unit in the header and drops it from the values; Windows prints CRLF.
  const auto gpus = parse_nvidia_smi(
      "index, name, memory.total [MiB]\r\n"
      "0, NVIDIA GeForce RTX 4090, 24564\r\n"
      "\r\n"
      "1, NVIDIA RTX A6000, 49140\r\n",
      "nvidia-smi");
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(gpus[0].memory_total_mib, 24564.0);
  EXPECT_EQ(gpus[1].memory_total_mib, 49140.0);
}

TEST(ProbeParse, UnavailableValuesAreEmpty) {
  const auto gpus = parse_nvidia_smi(
      std::string(kHeader) + "0, Tesla T4, [Unknown Error], [N/A], [Not Supported], 535.129.03, N/A\n", "nvidia-smi");
  ASSERT_EQ(gpus.size(), 1u);
  EXPECT_EQ(gpus[0].uuid, "");
  EXPECT_EQ(gpus[0].pci_bus_id, "");
  EXPECT_FALSE(gpus[0].memory_total_mib.has_value());
  EXPECT_EQ(gpus[0].driver_version, "535.129.03");
  EXPECT_EQ(gpus[0].mig_mode, "");
}

TEST(ProbeParse, HeaderAloneAndNoDevicesMeanNoGpu) {
  EXPECT_TRUE(parse_nvidia_smi(kHeader, "nvidia-smi").empty());
  EXPECT_TRUE(parse_nvidia_smi("No devices were found\n", "nvidia-smi").empty());
  EXPECT_TRUE(nvidia_smi_found_no_devices("No devices were found\n"));
  EXPECT_FALSE(nvidia_smi_found_no_devices(kHeader));
}

TEST(ProbeParse, MalformedOutputNamesTheLine) {
  EXPECT_EQ(error_of(""),
            "nvidia-smi: empty output: no header line (expected \"index, name, uuid, pci.bus_id, memory.total [MiB], "
            "driver_version, mig.mode.current\")");
  EXPECT_EQ(error_of("\n0, NVIDIA H100 80GB HBM3, 81559 MiB\n"),
            "nvidia-smi:2: expected the header line \"index, name, uuid, pci.bus_id, memory.total [MiB], "
            "driver_version, mig.mode.current\", got \"0, NVIDIA H100 80GB HBM3, 81559 MiB\" (was the output asked "
            "for with --format=csv,noheader?)");
  EXPECT_EQ(error_of("index, name\n0, Tesla T4\n"),
            "nvidia-smi:1: the header has no 'memory.total' column: \"index, name\"");
  EXPECT_EQ(error_of(std::string(kHeader) +
                     "0, NVIDIA H100 80GB HBM3, GPU-5b1a7c3e-9d2f-4e8a-b6c1-0f3d2e9a8b71, 00000000:18:00.0, 81559 MiB, "
                     "550.54.15, Disabled\n"
                     "1, NVIDIA H100 80GB HBM3, 00000000:2A:00.0, 81559 MiB, 550.54.15, Disabled\n"),
            "nvidia-smi:3: expected 7 fields like the header, found 6: \"1, NVIDIA H100 80GB HBM3, 00000000:2A:00.0, "
            "81559 MiB, 550.54.15, Disabled\"");
  EXPECT_EQ(error_of("index, name, memory.total [MiB]\n0, Tesla T4, 15 GiB\n"),
            "nvidia-smi:2: column 'memory.total': cannot read \"15 GiB\" as a memory size in MiB");
  EXPECT_EQ(error_of("index, name, memory.total [MiB]\n0, Tesla T4, lots MiB\n"),
            "nvidia-smi:2: column 'memory.total': cannot read \"lots MiB\" as a memory size in MiB");
  EXPECT_EQ(error_of("index, name, memory.total [MiB]\r\n\r\nGPU0, Tesla T4, 15360 MiB\r\n"),
            "nvidia-smi:3: column 'index': \"GPU0\" is not a GPU index (a whole number)");
}

TEST(ProbeListing, OneRowPerGpu) {
  ProbedGpu gpu;
  gpu.index = 1;
  gpu.name = "NVIDIA GeForce RTX 4090";
  gpu.uuid = "GPU-0c4e9a12";
  gpu.pci_bus_id = "00000000:AF:00.0";
  gpu.memory_total_mib = 24564;
  gpu.driver_version = "550.54.15";
  EXPECT_EQ(probe_listing_columns(),
            (std::vector<std::string>{"title", "gpu_count", "price", "currency", "gpu_index", "gpu_uuid", "pci_bus_id",
                                      "memory_total_mib", "driver_version", "mig_mode"}));
  EXPECT_EQ(probe_listing_row(gpu),
            (std::vector<std::string>{"NVIDIA GeForce RTX 4090", "1", "", "", "1", "GPU-0c4e9a12", "00000000:AF:00.0",
                                      "24564", "550.54.15", ""}));
  gpu.memory_total_mib.reset();
  EXPECT_EQ(probe_listing_row(gpu)[7], "");
}

TEST(ProbeListing, ArgumentsAskForEveryParsedField) {
  EXPECT_EQ(
      nvidia_smi_arguments(),
      (std::vector<std::string>{"--query-gpu=index,name,uuid,pci.bus_id,memory.total,driver_version,mig.mode.current",
                                "--format=csv"}));
}

}  // namespace
}  // namespace glyphsieve
