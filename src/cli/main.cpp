// The `elaa` command line. Each subcommand parses its options and calls the library; no logic here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "accuracy/accuracy.hpp"
#include "report/network_tables.hpp"
#include "util/error.hpp"
#include "workload/onnx/import.hpp"
#include "workload/zoo/zoo.hpp"

namespace {

using elaa::report::Table;

void print(const Table& table, bool csv) {
    if (csv)
        table.write_csv(std::cout);
    else
        table.write_text(std::cout);
}

void print_network_header(const elaa::workload::Network& net, bool csv, const std::string& weights) {
    // Resolve the accuracy first: a bad --weights fails before anything is printed. An imported
    // model is not the zoo network that happens to share its name, so it gets no accuracy line.
    std::string accuracy_line;
    if (net.family != "onnx") {
        const auto& tables = elaa::accuracy::AccuracyTables::builtin();
        // lookup() with explicit weights lists the available rows when the request matches none.
        const auto acc = weights.empty() ? tables.find(net.name) : std::optional(tables.lookup(net.name, weights));
        if (acc)
            accuracy_line = fmt::format("ImageNet top-1 {:.2f} %{}, {} {} ({})\n", acc->top1,
                                        acc->top5 ? fmt::format(", top-5 {:.2f} %", *acc->top5) : "",
                                        acc->precision, acc->weights, acc->source);
    }
    if (csv) return;  // CSV output stays a single well-formed table
    std::cout << fmt::format("{} ({}), input {}x{}, batch {}: {} layers, {} M MACs, {} M ops, {} M params\n",
                             net.name, net.family, net.resolution, net.resolution, net.batch,
                             net.layers.size(), elaa::report::millions(net.macs()),
                             elaa::report::millions(net.ops()), elaa::report::millions(net.params()))
              << accuracy_line;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"elaa: energy-latency-area-accuracy co-design of DNNs and their accelerators"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "elaa 0.1.0");

    bool csv = false;
    std::string family, weights;
    auto* nets = app.add_subcommand("nets", "List every network in the zoo with MACs, params and accuracy");
    nets->add_flag("--csv", csv, "CSV instead of an aligned table");
    nets->add_option("--family", family, "Only this family (e.g. resnet, mobilenet_v2)");
    nets->add_option("--weights", weights, "Accuracy row to show where a network has several");

    std::string net_name;
    auto* net = app.add_subcommand("net", "Show one network's layer table");
    net->add_option("NAME", net_name, "Zoo name, e.g. resnet50, suite/ResNet50")->required();
    net->add_flag("--csv", csv, "CSV instead of an aligned table");
    net->add_option("--weights", weights, "Accuracy row to show where a network has several");

    std::string onnx_file;
    bool skip_unsupported = false;
    auto* import = app.add_subcommand("import-onnx", "Show the layer table of an ONNX model");
    import->add_option("FILE", onnx_file, "ONNX model (weights may be absent)")->required();
    import->add_flag("--csv", csv, "CSV instead of an aligned table");
    import->add_flag("--skip-unsupported", skip_unsupported,
                     "Import the supported nodes and list the unsupported ones instead of failing");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    try {
        if (*nets) {
            print(elaa::report::zoo_table(family, weights), csv);
        } else if (*net) {
            const auto network = elaa::workload::Zoo::instance().build(net_name);
            print_network_header(network, csv, weights);
            print(elaa::report::layer_table(network), csv);
        } else if (*import) {
            elaa::workload::OnnxImportOptions options;
            options.skip_unsupported = skip_unsupported;
            const auto result = elaa::workload::import_onnx(onnx_file, options);
            for (const auto& skipped : result.skipped) std::cerr << "elaa: skipped unsupported " << skipped << "\n";
            print_network_header(result.network, csv, "");
            print(elaa::report::layer_table(result.network), csv);
        }
    } catch (const elaa::InputError& e) {
        std::cerr << "elaa: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
