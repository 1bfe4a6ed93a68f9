// Hardware description: technology tables, TOML load/save/validation, presets, arch table.
#include <catch2/catch.hpp>

#include <optional>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "hardware/presets.hpp"
#include "hardware/technology.hpp"
#include "hardware/toml.hpp"
#include "report/arch_tables.hpp"
#include "util/csv.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/toml_read.hpp"

using namespace elaa;
using namespace elaa::hardware;

namespace {

CsvTable technology_table(const std::string& file) {
    const auto text = embedded_file("technology/" + file);
    REQUIRE(text);
    return CsvTable::parse(*text, file);
}

double num(const CsvTable& t, std::size_t row, const char* column) { return t.number(row, column).value(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The row of a CACTI table matching all the given (column, value) pairs; fails the test if none.
std::size_t find_row(const CsvTable& t, const std::vector<std::pair<const char*, double>>& match,
                     const std::string& port_config) {
    for (std::size_t row = 0; row < t.rows(); ++row) {
        if (t.at(row, "port_config") != port_config) continue;
        if (std::all_of(match.begin(), match.end(), [&](const auto& m) { return num(t, row, m.first) == m.second; }))
            return row;
    }
    FAIL("no row in " << t.source() << " for " << port_config);
    return 0;
}

// Log-linear interpolation in log(node), written out here independently of the code under test.
double at_28nm(double v22, double v45) {
    const double t = std::log(28.0 / 22.0) / std::log(45.0 / 22.0);
    return std::exp(std::log(v22) + t * (std::log(v45) - std::log(v22)));
}

bool close(double a, double b, double rel = 1e-9) { return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)); }

// A small valid accelerator that the error tests mutate.
const std::string kBase = R"(name = "base"
frequency_mhz = 1000
technology_nm = 28

[array]
dimensions = ["D1", "D2"]
sizes = [32, 32]

[dataflow]
default = { D1 = "K 32", D2 = "C 32" }

[[memories]]
name = "rf_w"
type = "regfile"
size_bits = 64
operands = ["W"]
served_dimensions = []
ports = [
  { name = "r", type = "read", bw_min_bits = 8, bw_max_bits = 8, uses = ["W to_low"] },
  { name = "w", type = "write", bw_min_bits = 8, bw_max_bits = 8, uses = ["W from_high"] },
]

[[memories]]
name = "rf_o"
type = "regfile"
size_bits = 16
operands = ["O"]
served_dimensions = ["D2"]
ports = [
  { name = "rw", type = "read_write", bw_min_bits = 16, bw_max_bits = 16, uses = ["O to_low", "O to_high", "O from_high", "O from_low"] },
]

[[memories]]
name = "dram"
type = "dram"
size_bits = 10000000000
operands = ["I", "W", "O"]
served_dimensions = ["D1", "D2"]
ports = [
  { name = "rw", type = "read_write", bw_min_bits = 64, bw_max_bits = 64, uses = ["I to_low", "W to_low", "O to_low", "O from_low"] },
]
)";

std::string replaced(const std::string& from, const std::string& to, std::string text = kBase) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The message of the InputError parsing `text` throws ("" if it parses).
std::string error_of(const std::string& text) {
    try {
        parse_accelerator(text, "base.toml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// ------------------------------------------------------------------------------------ technology

TEST_CASE("technology: interpolation reproduces every tabulated SRAM and register-file point", "[hardware]") {
    const CsvTable sram = technology_table("sram_cacti7.csv");
    std::size_t checked = 0;
    for (std::size_t row = 0; row < sram.rows(); ++row) {
        const std::string config = sram.at(row, "port_config");
        if (config != "1rw" && config != "1r1w") continue;  // 2rw and banked rows are not used (see README)
        const auto cost = tech::sram_cost(num(sram, row, "capacity_bytes"), num(sram, row, "width_bits"),
                                          num(sram, row, "tech_nm"), config == "1r1w");
        INFO(config << " row " << sram.line_of(row));
        CHECK(close(cost.r_energy_pj, num(sram, row, "r_energy_pj")));
        CHECK(close(cost.w_energy_pj, num(sram, row, "w_energy_pj")));
        CHECK(close(cost.area_mm2, num(sram, row, "area_mm2")));
        CHECK(close(cost.access_time_ns, num(sram, row, "access_time_ns")));
        CHECK(close(cost.leakage_mw, num(sram, row, "leakage_mw")));
        ++checked;
    }
    CHECK(checked == 1218 + 812);  // all 1rw and 1r1w rows (data README)

    const CsvTable regfile = technology_table("regfile_cacti7_ref.csv");
    for (std::size_t row = 0; row < regfile.rows(); ++row) {
        const tech::PortCounts ports{static_cast<int>(num(regfile, row, "rw_ports")),
                                     static_cast<int>(num(regfile, row, "rd_ports")),
                                     static_cast<int>(num(regfile, row, "wr_ports"))};
        const auto cost = tech::regfile_cost(num(regfile, row, "capacity_bytes"), num(regfile, row, "width_bits"),
                                             num(regfile, row, "tech_nm"), ports);
        INFO("regfile row " << regfile.line_of(row));
        CHECK(close(cost.r_energy_pj, num(regfile, row, "r_energy_pj")));
        CHECK(close(cost.area_mm2, num(regfile, row, "area_mm2")));
    }
    CHECK(regfile.rows() == 360);
}

TEST_CASE("technology: held-out 3*2^k capacities predicted from the power-of-two rows", "[hardware]") {
    // Rebuild the 1rw grids without the 3·2^k sizes, predict those rows, compare (data README: median
    // error read energy 4.5 %, write energy 2.7 %, area 2.9 % over the 480 rows).
    const CsvTable sram = technology_table("sram_cacti7.csv");
    const auto power_of_two = [](double c) { return std::fmod(std::log2(c), 1.0) == 0.0; };
    const tech::NodeGrids grids = tech::grids_from_table(sram, "1rw", power_of_two);
    std::vector<double> read_err, write_err, area_err;
    for (std::size_t row = 0; row < sram.rows(); ++row) {
        const double capacity = num(sram, row, "capacity_bytes");
        if (sram.at(row, "port_config") != "1rw" || power_of_two(capacity)) continue;
        const auto cost = grids.at(num(sram, row, "tech_nm")).at(capacity, num(sram, row, "width_bits"));
        read_err.push_back(std::abs(cost.r_energy_pj / num(sram, row, "r_energy_pj") - 1));
        write_err.push_back(std::abs(cost.w_energy_pj / num(sram, row, "w_energy_pj") - 1));
        area_err.push_back(std::abs(cost.area_mm2 / num(sram, row, "area_mm2") - 1));
    }
    REQUIRE(read_err.size() == 480);
    WARN("held-out median errors: read " << 100 * median(read_err) << " %, write " << 100 * median(write_err)
                                         << " %, area " << 100 * median(area_err) << " %");
    CHECK(median(read_err) <= 0.05);
    CHECK(median(write_err) <= 0.035);
    CHECK(median(area_err) <= 0.035);
}

TEST_CASE("technology: node ratios agree with the data README's medians", "[hardware]") {
    // data README "Node ratios vs 45 nm (median)": energy and area.
    const std::map<double, std::pair<double, double>> readme{
        {22, {0.29, 0.25}}, {28, {0.45, 0.39}}, {32, {0.56, 0.51}}, {45, {1, 1}}, {65, {1.8, 2.09}}, {90, {3.2, 4.0}}};
    for (const auto& [node, ratios] : readme) {
        INFO(node << " nm");
        CHECK(tech::energy_ratio_vs_45nm(node) == Approx(ratios.first).epsilon(0.03));
        CHECK(tech::area_ratio_vs_45nm(node) == Approx(ratios.second).epsilon(0.03));
    }
}

TEST_CASE("technology: MAC figures are mac.csv's 45 nm rows times the node ratios", "[hardware]") {
    const CsvTable mac = technology_table("mac.csv");
    for (std::size_t row = 0; row < mac.rows(); ++row) {
        const auto arithmetic = mac.at(row, "arithmetic") == "fp" ? tech::Arithmetic::Float : tech::Arithmetic::Int;
        const int bits = static_cast<int>(num(mac, row, "bits"));
        INFO(mac.at(row, "precision"));
        // Each row's MAC = multiplier + accumulator adder.
        CHECK(num(mac, row, "mac_energy_pj") ==
              Approx(num(mac, row, "mult_energy_pj") + num(mac, row, "add_energy_pj")).epsilon(1e-3));
        CHECK(num(mac, row, "mac_area_um2") ==
              Approx(num(mac, row, "mult_area_um2") + num(mac, row, "add_area_um2")).epsilon(1e-3));
        const auto at45 = tech::mac_cost(bits, 45, arithmetic);
        CHECK(at45.energy_pj == Approx(num(mac, row, "mac_energy_pj")));
        CHECK(at45.area_um2 == Approx(num(mac, row, "mac_area_um2")));
        const auto at28 = tech::mac_cost(bits, 28, arithmetic);
        CHECK(at28.energy_pj == Approx(num(mac, row, "mac_energy_pj") * tech::energy_ratio_vs_45nm(28)));
    }
    // Horowitz 2014: 8-bit multiply 0.2 pJ + 16-bit add 0.05 pJ at 45 nm.
    CHECK(tech::mac_cost(8, 45).energy_pj == Approx(0.25));
    // Between rows (12 bits): between the 8- and 16-bit figures.
    CHECK(tech::mac_cost(12, 45).energy_pj > 0.25);
    CHECK(tech::mac_cost(12, 45).energy_pj < 0.8874);
}

TEST_CASE("technology: outside the grid", "[hardware]") {
    // Wider than 1024 bits: side-by-side banks of the table width.
    const auto wide = tech::sram_cost(2 * 1048576.0, 2048, 28, true);
    const auto half = tech::sram_cost(1048576.0, 1024, 28, true);
    CHECK(wide.r_energy_pj == Approx(2 * half.r_energy_pj));
    CHECK(wide.area_mm2 == Approx(2 * half.area_mm2));
    // Above 8 MiB: the fitted capacity exponent (28 nm read energy a = 0.5179, area a = 0.9514).
    const auto top = tech::sram_cost(8388608.0, 64, 28, false);
    const auto big = tech::sram_cost(4 * 8388608.0, 64, 28, false);
    CHECK(big.r_energy_pj == Approx(top.r_energy_pj * std::pow(4.0, 0.5179)));
    CHECK(big.area_mm2 == Approx(top.area_mm2 * std::pow(4.0, 0.9514)));
    // Between nodes: log-linear in log(node) between 45 and 65 nm.
    const auto n45 = tech::sram_cost(65536, 64, 45, false), n65 = tech::sram_cost(65536, 64, 65, false);
    const auto n55 = tech::sram_cost(65536, 64, 55, false);
    const double t = std::log(55.0 / 45) / std::log(65.0 / 45);
    CHECK(n55.area_mm2 == Approx(std::exp(std::log(n45.area_mm2) + t * std::log(n65.area_mm2 / n45.area_mm2))));
    // Below 64 B: per-bit scaling of the 64 B register file (here 16 B, 16-bit port, 1R1W at 45 nm).
    const CsvTable regfile = technology_table("regfile_cacti7_ref.csv");
    const auto row = find_row(regfile, {{"tech_nm", 45}, {"capacity_bytes", 64}, {"width_bits", 16}, {"rd_ports", 1}, {"wr_ports", 1}}, "rf");
    const auto reg = tech::memory_cost(MemoryType::RegFile, 16, 16, 45, {0, 1, 1});
    CHECK(reg.area_mm2 == Approx(num(regfile, row, "area_mm2") * 16 / 64));
    CHECK(reg.r_energy_pj == Approx(num(regfile, row, "r_energy_pj")));
    // DRAM: 20.31 pJ/bit (Horowitz 2014, 1.3 nJ per 64-bit access), no area.
    const auto dram = tech::memory_cost(MemoryType::Dram, 1e9, 64, 28, {1, 0, 0});
    CHECK(dram.r_energy_pj == Approx(20.31 * 64));
    CHECK(dram.area_mm2 == 0);
}

// ------------------------------------------------------------------------------------------ presets

TEST_CASE("presets: tpu_like counts and area derived by hand from the tables", "[hardware]") {
    const Accelerator tpu = load_preset("tpu_like");
    CHECK(tpu.array.total_units() == 1024);
    REQUIRE(tpu.memories.size() == 4);
    CHECK(tpu.memories[0].name == "rf_128B");
    CHECK(tpu.instances(0) == 1024);  // served [] -> one per MAC
    CHECK(tpu.instances(1) == 1024);
    CHECK(tpu.memories[2].name == "sram_2MB");
    CHECK(tpu.instances(2) == 1);
    CHECK(tpu.on_chip_bits() == 1024.0 * 1024 + 1024.0 * 16 + 16777216);

    // Expected per-instance areas straight from the CSV rows (28 nm):
    const CsvTable sram = technology_table("sram_cacti7.csv");
    const CsvTable regfile = technology_table("regfile_cacti7_ref.csv");
    // rf_128B: register file 128 B, 8-bit ports, 1R+1W, between the 22 and 45 nm rows.
    const auto rf = [&](double node, double bytes, double width, double rd, double wr) {
        return num(regfile, find_row(regfile, {{"tech_nm", node}, {"capacity_bytes", bytes}, {"width_bits", width},
                                               {"rw_ports", 0}, {"rd_ports", rd}, {"wr_ports", wr}}, "rf"),
                   "area_mm2");
    };
    const double rf_128B = at_28nm(rf(22, 128, 8, 1, 1), rf(45, 128, 8, 1, 1));
    // rf_2B: below 64 B, 2 read + 2 write ports: 2/64 of the 64 B 16-bit 2R2W array.
    const double rf_2B = at_28nm(rf(22, 64, 16, 2, 2), rf(45, 64, 16, 2, 2)) * 2 / 64;
    // sram_2MB: 1R1W, 2048-bit port = two 1 MiB banks of 1024 bits (28 nm row).
    const double sram_2MB =
        2 * num(sram, find_row(sram, {{"tech_nm", 28}, {"capacity_bytes", 1048576}, {"width_bits", 1024}}, "1r1w"),
                "area_mm2");
    // 8-bit MAC: 349 um2 at 45 nm (mac.csv) times the median 28/45 nm area ratio of the 1rw rows.
    std::map<std::pair<double, double>, double> area45;
    std::vector<double> ratios;
    for (std::size_t row = 0; row < sram.rows(); ++row)
        if (sram.at(row, "port_config") == "1rw" && num(sram, row, "tech_nm") == 45)
            area45[{num(sram, row, "capacity_bytes"), num(sram, row, "width_bits")}] = num(sram, row, "area_mm2");
    for (std::size_t row = 0; row < sram.rows(); ++row)
        if (sram.at(row, "port_config") == "1rw" && num(sram, row, "tech_nm") == 28)
            if (auto it = area45.find({num(sram, row, "capacity_bytes"), num(sram, row, "width_bits")}); it != area45.end())
                ratios.push_back(num(sram, row, "area_mm2") / it->second);
    const double mac_um2 = 349 * median(ratios);

    CHECK(tpu.array.mac_area_um2 == Approx(mac_um2));
    CHECK(tpu.memories[0].area_mm2 == Approx(rf_128B));
    CHECK(tpu.memories[1].area_mm2 == Approx(rf_2B));
    CHECK(tpu.memories[2].area_mm2 == Approx(sram_2MB));
    CHECK(tpu.memories[3].area_mm2 == 0);  // DRAM
    CHECK(tpu.area_mm2() == Approx(mac_um2 * 1e-6 * 1024 + 1024 * rf_128B + 1024 * rf_2B + sram_2MB));
    // ZigZag's energies are kept.
    CHECK(tpu.array.mac_energy_pj == 0.04);
    CHECK(tpu.memories[2].r_energy_pj == 416.16);
    CHECK(tpu.memories[2].w_energy_pj == 378.4);
}

namespace {

// ZigZag operand names and direction codes -> elaa's.
std::string zigzag_use(const std::string& operand, const std::string& code) {
    const std::map<std::string, std::string> ops{{"I1", "I"}, {"I2", "W"}, {"O", "O"}};
    const std::map<std::string, std::string> dirs{
        {"tl", "to_low"}, {"fh", "from_high"}, {"fl", "from_low"}, {"th", "to_high"}};
    return ops.at(operand) + " " + dirs.at(code);
}

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, sep)) out.push_back(trim(item));
    return out;
}

// ZigZag's preset tables live in the project's shared reference notes (beside the clone in CI);
// elsewhere the comparison is skipped with a warning.
std::optional<std::string> reference_notes() {
    std::ifstream in(std::string(ELAA_SHARED_DIR) + "/reference/zigzag-model.md");
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The markdown table rows of section "#### <yaml> (" up to the next heading.
std::vector<std::vector<std::string>> preset_rows(const std::string& notes, const std::string& yaml,
                                                  std::string* array_line) {
    const auto start = notes.find("#### " + yaml + " (");
    REQUIRE(start != std::string::npos);
    const auto end = notes.find("\n#", start + 5);
    std::stringstream section(notes.substr(start, end - start));
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(section, line)) {
        if (line.rfind("Operational array:", 0) == 0) *array_line = line;
        if (line.rfind("| ", 0) != 0 || line.rfind("| memory", 0) == 0) continue;
        auto cells = split(line.substr(2, line.size() - 4), '|');
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace

TEST_CASE("presets: ZigZag presets carry exactly the reference notes' values", "[hardware]") {
    const auto notes_text = reference_notes();
    if (!notes_text) {
        WARN("shared/reference/zigzag-model.md not found: ZigZag preset comparison skipped");
        return;
    }
    const std::string& notes = *notes_text;
    const std::vector<std::pair<std::string, std::string>> presets{
        {"tpu_like", "tpu_like.yaml"},           {"edge_tpu_like", "edge_tpu_like.yaml"},
        {"ascend_like", "ascend_like.yaml"},     {"meta_prototype_like", "meta_prototype.yaml"},
        {"tesla_npu_like", "tesla_npu_like.yaml"}, {"eyeriss_like", "eyeriss_like.yaml"}};
    for (const auto& [name, yaml] : presets) {
        INFO(name);
        const Accelerator acc = load_preset(name);
        std::string array_line;
        const auto rows = preset_rows(notes, yaml, &array_line);

        // "Operational array: dims ['D1', 'D2'] sizes [32, 32] = 1024 units; unit_energy=0.04 pJ; ..."
        std::smatch m;
        REQUIRE(std::regex_search(array_line, m, std::regex(R"(sizes \[([0-9, ]+)\].*unit_energy=([0-9.]+))")));
        std::vector<int> sizes;
        for (const auto& s : split(m[1], ',')) sizes.push_back(std::stoi(s));
        CHECK(acc.array.dim_sizes == sizes);
        CHECK(acc.array.mac_energy_pj == std::stod(m[2]));

        REQUIRE(acc.memories.size() == rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& row = rows[i];  // memory, size, operands, r, w, area, ports, served, auto
            const Memory& mem = acc.memories[i];
            INFO(row[0]);
            CHECK(mem.name == row[0]);
            CHECK(mem.size_bits == std::stod(row[1]));
            std::vector<std::string> operands;
            for (auto op : mem.operands) operands.emplace_back(workload::to_string(op));
            std::vector<std::string> expected_operands;
            for (const auto& op : split(row[2], ',')) expected_operands.push_back(zigzag_use(op, "tl").substr(0, 1));
            CHECK(operands == expected_operands);
            CHECK(mem.r_energy_pj == std::stod(row[3]));
            CHECK(mem.w_energy_pj == std::stod(row[4]));
            // ports: "r_port_1:read:64/2048→I1 tl,O tl,O th; w_port_1:..."
            const auto ports = split(row[6], ';');
            REQUIRE(mem.ports.size() == ports.size());
            for (std::size_t p = 0; p < ports.size(); ++p) {
                const auto arrow = ports[p].find("→");
                const auto head = split(ports[p].substr(0, arrow), ':');
                CHECK(mem.ports[p].name == head[0]);
                CHECK(to_string(mem.ports[p].type) == head[1]);
                const auto bw = split(head[2], '/');
                CHECK(mem.ports[p].bw_min_bits == std::stod(bw[0]));
                CHECK(mem.ports[p].bw_max_bits == std::stod(bw[1]));
                std::vector<std::string> uses, expected_uses;
                for (const auto& use : mem.ports[p].uses)
                    uses.push_back(std::string(workload::to_string(use.operand)) + " " +
                                   std::string(to_string(use.direction)));
                for (const auto& use : split(ports[p].substr(arrow + std::string("→").size()), ',')) {
                    const auto parts = split(use, ' ');
                    expected_uses.push_back(zigzag_use(parts[0], parts[1]));
                }
                CHECK(uses == expected_uses);
            }
            std::string served;
            for (auto d : mem.served_dims) served += (served.empty() ? "'" : ", '") + acc.array.dim_names[d] + "'";
            CHECK("[" + served + "]" == row[7]);
        }
    }
}

TEST_CASE("presets: dataflows are the mapping files' spatial mappings", "[hardware]") {
    const auto notes_text = reference_notes();
    if (!notes_text) {
        WARN("shared/reference/zigzag-model.md not found: ZigZag preset comparison skipped");
        return;
    }
    const std::string& notes = *notes_text;
    // preset -> mapping file; eyeriss_like uses default.yaml clamped to its 14x12 array (as ZigZag does).
    const std::vector<std::pair<std::string, std::string>> presets{
        {"tpu_like", "tpu_like.yaml"},     {"edge_tpu_like", "edge_tpu_like.yaml"},
        {"ascend_like", "ascend_like.yaml"}, {"meta_prototype_like", "meta_prototype_like.yaml"},
        {"tesla_npu_like", "tesla_npu_like.yaml"}, {"eyeriss_like", "default.yaml"}};
    const std::map<std::string, OpClass> entry_class{
        {"default", OpClass::Default}, {"Add", OpClass::Elementwise}, {"Pooling", OpClass::Pooling}};
    for (const auto& [name, file] : presets) {
        INFO(name);
        const Accelerator acc = load_preset(name);
        std::array<bool, 4> seen{};
        std::stringstream lines(notes);
        std::string line;
        while (std::getline(lines, line)) {
            if (line.rfind("| " + file + " |", 0) != 0) continue;
            const auto cells = split(line.substr(2), '|');
            // Layer-name entries (tpu_like's example_name_of_layer0) apply to one named layer only.
            if (!entry_class.count(cells[1])) continue;
            const auto cls = static_cast<std::size_t>(entry_class.at(cells[1]));
            seen[cls] = true;
            REQUIRE(acc.dataflow_given[cls]);
            const Dataflow& df = acc.dataflows[cls];
            for (const auto& dim_entry : split(cells[2], ';')) {  // "D1: K, 32"
                const auto colon = dim_entry.find(':');
                const auto d = acc.array.dim_index(dim_entry.substr(0, colon));
                REQUIRE(d);
                const auto parts = split(dim_entry.substr(colon + 1), ',');
                REQUIRE(df.per_dim[*d].loops.size() == 1);
                CHECK(workload::to_string(df.per_dim[*d].loops[0].first) == parts[0]);
                CHECK(df.per_dim[*d].loops[0].second == std::min(std::stoi(parts[1]), acc.array.dim_sizes[*d]));
            }
        }
        for (std::size_t cls = 0; cls < 4; ++cls) CHECK(acc.dataflow_given[cls] == seen[cls]);
        CHECK_FALSE(acc.dataflow_given[static_cast<std::size_t>(OpClass::Depthwise)]);
        bool fell_back = false;
        CHECK(&acc.dataflow_for(workload::OpKind::DepthwiseConv, &fell_back) ==
              &acc.dataflows[static_cast<std::size_t>(OpClass::Default)]);
        CHECK(fell_back);
    }
}

TEST_CASE("presets: every preset loads, round-trips and is listed", "[hardware]") {
    const std::vector<std::string> expected{"ascend_like",    "edge_tpu_like",  "envision_like", "eyeriss_like",
                                            "meta_prototype_like", "tesla_npu_like", "tpu_like"};
    CHECK(suite_preset_names() == expected);
    auto with_chips = expected;
    with_chips.push_back("eyeriss_v1");  // configs/chips: run by `elaa validate`, not part of `assess --archs all`
    CHECK(preset_names() == with_chips);
    for (const auto& name : preset_names()) {
        INFO(name);
        const Accelerator acc = load_preset(name);
        CHECK(acc.name == name);
        CHECK(acc.area_mm2() > 0);
        CHECK_FALSE(acc.assumptions.empty());
        const std::string text = to_toml(acc);
        const Accelerator again = parse_accelerator(text, name + " (saved)");
        CHECK(again == acc);
        CHECK(to_toml(again) == text);
    }
    const Accelerator envision = load_preset("envision_like");
    CHECK(envision.array.total_units() == 256);
    CHECK(envision.frequency_mhz == 200);
    CHECK(envision.dataflow_given[static_cast<std::size_t>(OpClass::Depthwise)]);
}

TEST_CASE("presets: arch table rows", "[hardware]") {
    const auto table = report::arch_table();
    CHECK(table.rows() == preset_names().size());
    const auto row = report::arch_row(load_preset("tpu_like"));
    CHECK(row[1] == "32x32");
    CHECK(row[2] == "1024");
    CHECK(row[3] == "2178.0");  // 17842176 bits / 8 / 1024
    CHECK(row[6] == "1024");
    CHECK(row[7] == "1024.0");  // 1024 MACs x 1 GHz
    CHECK(report::arch_row(load_preset("envision_like"))[7] == "51.2");  // 256 x 200 MHz
}

// ---------------------------------------------------------------------------------------- TOML

TEST_CASE("toml: the base file parses, derives what it omits, and round-trips", "[hardware]") {
    const Accelerator acc = parse_accelerator(kBase, "base.toml");
    CHECK(acc.array.mac_energy_derived);
    CHECK(acc.array.mac_energy_pj == Approx(tech::mac_cost(8, 28).energy_pj));
    CHECK(acc.memories[0].derived.r_energy);
    CHECK(acc.memories[0].r_energy_pj == Approx(tech::memory_cost(acc.memories[0], 28).r_energy_pj));
    CHECK(acc.memories[2].is_dram);
    CHECK(acc.memories[2].r_energy_pj == Approx(20.31 * 64));
    CHECK(acc.instances(1) == 32);  // rf_o serves D2: one per D1 position
    CHECK(parse_accelerator(to_toml(acc), "saved") == acc);

    // Stated figures, a mixed unrolling, "auto", optional entries and awkward strings also round-trip.
    std::string text = replaced("technology_nm = 28", "technology_nm = 28\ndescription = \"a \\\"quoted\\\"\\nline\"");
    text = replaced("default = { D1 = \"K 32\", D2 = \"C 32\" }",
                    "default = { D1 = \"K 8, FX 3\", D2 = \"C 32\" }\ndepthwise = \"auto\"\npooling = { D1 = \"G 32\" }",
                    text);
    text = replaced("size_bits = 64\n", "size_bits = 64\nr_energy_pj = 0.123456789\narea_mm2 = 1e-7\n", text);
    const Accelerator mixed = parse_accelerator(text, "mixed.toml");
    CHECK(mixed.dataflows[0].per_dim[0].loops.size() == 2);
    CHECK(mixed.dataflows[static_cast<std::size_t>(OpClass::Depthwise)].automatic());
    CHECK_FALSE(mixed.dataflow_given[static_cast<std::size_t>(OpClass::Elementwise)]);
    CHECK(mixed.memories[0].r_energy_pj == 0.123456789);
    CHECK_FALSE(mixed.memories[0].derived.r_energy);
    CHECK(mixed.memories[0].derived.w_energy);
    CHECK(parse_accelerator(to_toml(mixed), "saved") == mixed);

    // Non-ASCII text is fine where TOML allows it: strings (all four kinds) and comments.
    const std::string unicode_description =
        replaced("technology_nm = 28", "technology_nm = 28 # 28 nm \u2014 \u00b5m\ndescription = \"\u00e9\" # \u00a1");
    CHECK(parse_accelerator(unicode_description, "unicode.toml").description == "\u00e9");
    const toml::table strings = elaa::toml_read::parse_text(
        "a = '\u00e9'\nb = \"\"\"\u00e9\\\n  x\"\"\"\nc = '\x27\x27\u3001\x27\x27'\n", "strings.toml");
    CHECK(strings["a"].value_or(std::string()) == "\u00e9");
    CHECK(strings["b"].value_or(std::string()) == "\u00e9x");
    CHECK(strings["c"].value_or(std::string()) == "\u3001");
}

TEST_CASE("toml: errors name the file, line, key and what was expected", "[hardware]") {
    using Catch::Matchers::Contains;
    struct Case {
        std::string what, from, to;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases{
        // toml++ reports an unclosed array where it notices it: the start of the next line.
        {"syntax", "sizes = [32, 32]", "sizes = [32, 32", {"base.toml:9:1:", "TOML syntax error", "expected comma or closing ']'"}},
        {"typo", "size_bits = 64", "sise_bits = 64",
         {"base.toml:15:", "memory 'rf_w'", "unknown key 'sise_bits'", "accepted keys here: name, type, size_bits",
          "did you mean 'size_bits'?"}},
        {"top-level typo", "frequency_mhz = 1000", "frequency = 1000",
         {"base.toml:2:", "unknown key 'frequency'", "did you mean 'frequency_mhz'?"}},
        {"missing key", "size_bits = 64\n", "", {"memory 'rf_w'", "missing key 'size_bits'"}},
        {"wrong type", "size_bits = 64", "size_bits = \"64\"",
         {"base.toml:15:", "'size_bits' must be a number, got a string"}},
        {"wrong type in array", "sizes = [32, 32]", "sizes = [32, 3.5]", {"'sizes' must be an integer"}},
        {"zero size", "size_bits = 64", "size_bits = 0", {"'size_bits' must be positive (bits), got 0"}},
        {"zero array size", "sizes = [32, 32]", "sizes = [32, 0]", {"'sizes' must be positive integers, got 0"}},
        {"negative bandwidth", "bw_min_bits = 8, bw_max_bits = 8, uses = [\"W to_low\"]",
         "bw_min_bits = 8, bw_max_bits = -8, uses = [\"W to_low\"]",
         {"port 'r'", "'bw_max_bits' must be positive (bits per cycle), got -8"}},
        {"bw_min > bw_max", "bw_min_bits = 8, bw_max_bits = 8, uses = [\"W to_low\"]",
         "bw_min_bits = 128, bw_max_bits = 8, uses = [\"W to_low\"]", {"bw_min_bits = 128 exceeds bw_max_bits = 8"}},
        {"served dimension not in the array", "served_dimensions = [\"D2\"]", "served_dimensions = [\"D3\"]",
         {"base.toml:", "memory 'rf_o'", "served dimension 'D3' is not an array dimension; the array's dimensions are D1, D2"}},
        {"unrolling dimension not in the array", "D2 = \"C 32\" }", "D3 = \"C 32\" }",
         {"base.toml:10:", "[dataflow] default", "unknown array dimension 'D3'"}},
        {"unrolling too large", "D1 = \"K 32\"", "D1 = \"K 16, FX 4\"",
         {"unrolling product 64 exceeds the array dimension D1 = 32"}},
        {"unknown loop dimension", "D1 = \"K 32\"", "D1 = \"Q 32\"",
         {"unknown loop dimension 'Q'; loop dimensions are B, K, C, OY, OX, FY, FX, G"}},
        {"bad unrolling factor", "D1 = \"K 32\"", "D1 = \"K x\"", {"unrolling factor 'x' must be a positive integer"}},
        {"dataflow string", "default = { D1 = \"K 32\", D2 = \"C 32\" }", "default = \"manual\"",
         {"'default' must be \"auto\", \"row_stationary\" or an inline table"}},
        {"missing default dataflow", "default = { D1 = \"K 32\", D2 = \"C 32\" }", "pooling = \"auto\"",
         {"[dataflow]", "missing key 'default'"}},
        {"use of an operand not held", "uses = [\"W to_low\"]", "uses = [\"W to_low\", \"I to_low\"]",
         {"port 'r'", "memory 'rf_w' does not hold operand I (its operands: W)"}},
        {"read port writing", "uses = [\"W to_low\"]", "uses = [\"W to_low\", \"W from_high\"]",
         {"a read port cannot write (from_high needs a write or read_write port)"}},
        {"missing direction", "\"O from_high\", \"O from_low\"", "\"O from_high\"",
         {"memory 'rf_o'", "no port carries 'O from_low', which operand O needs at this level"}},
        {"missing fill direction", "uses = [\"W from_high\"]", "uses = []",
         {"memory 'rf_w'", "no port carries 'W from_high'"}},
        {"bad use syntax", "uses = [\"W to_low\"]", "uses = [\"W down\"]", {"use \"W down\" must be '<operand> <direction>'"}},
        {"zero frequency", "frequency_mhz = 1000", "frequency_mhz = 0",
         {"base.toml:2:", "top level", "'frequency_mhz' must be positive (clock in MHz), got 0"}},
        {"negative frequency", "frequency_mhz = 1000", "frequency_mhz = -5", {"'frequency_mhz' must be positive"}},
        {"memory type", "type = \"regfile\"", "type = \"flash\"", {"'type' must be \"sram\", \"regfile\" or \"dram\", got \"flash\""}},
        {"port type", "type = \"read\"", "type = \"input\"", {"'type' must be \"read\", \"write\" or \"read_write\""}},
        {"dram area", "type = \"dram\"", "type = \"dram\"\narea_mm2 = 5", {"DRAM is off-chip"}},
        {"duplicate memory", "name = \"rf_o\"", "name = \"rf_w\"", {"memory 'rf_w' is defined twice"}},
        {"unknown operand", "operands = [\"W\"]", "operands = [\"X\"]", {"unknown operand 'X'; operands are W, I, O"}},
        {"precision", "sizes = [32, 32]", "sizes = [32, 32]\nprecision_bits = 0", {"'precision_bits' must be 1..64"}},
        // U+00B2 is one of the characters TOML++ 3.3 cannot classify (toml_codepoint_swap.hpp).
        {"non-ASCII outside a string", "frequency_mhz = 1000", "frequency_mhz\u00b2 = 1000",
         {"base.toml:2:14:", "TOML syntax error", "expected '=', saw '\u00b2'"}},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const std::string message = error_of(replaced(c.from, c.to));
        INFO(message);
        REQUIRE_FALSE(message.empty());
        for (const auto& part : c.expected) CHECK_THAT(message, Contains(part));
    }

    // I held nowhere.
    std::string no_input = replaced("operands = [\"I\", \"W\", \"O\"]", "operands = [\"W\", \"O\"]");
    no_input = replaced("uses = [\"I to_low\", \"W to_low\"", "uses = [\"W to_low\"", no_input);
    CHECK_THAT(error_of(no_input), Contains("operand I has no memory"));

    // W held only below the top: the last memory (the backing store) must hold every operand.
    std::string below_top = replaced("operands = [\"I\", \"W\", \"O\"]", "operands = [\"I\", \"O\"]");
    below_top = replaced("uses = [\"I to_low\", \"W to_low\", \"O to_low\", \"O from_low\"]",
                         "uses = [\"I to_low\", \"O to_low\", \"O from_low\"]", below_top);
    CHECK_THAT(error_of(below_top), Contains("operand W's hierarchy ends at 'rf_w', below the top memory 'dram'") &&
                                        Contains("must hold W, I and O"));

    CHECK_THROWS_WITH(load_accelerator("/nonexistent/x.toml"), Contains("cannot read accelerator file '/nonexistent/x.toml'"));
    CHECK_THROWS_WITH(load_preset("tpu_lik"), Contains("unknown accelerator preset 'tpu_lik'; presets: tpu_like"));
}
