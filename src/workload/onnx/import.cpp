#include "workload/onnx/import.hpp"

#include "util/error.hpp"
#include "workload/onnx/model.hpp"
#include "workload/onnx/node.hpp"
#include "workload/onnx/ops.hpp"

namespace elaa::workload {

namespace {

using namespace onnx_import;

int default_opset(const onnx::ModelProto& model) {
    for (const auto& opset : model.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx") return static_cast<int>(opset.version());
    return 0;
}

// Name, family, input resolution and batch, and where the network came from.
void describe_network(Network& net, const std::filesystem::path& file, const onnx::ModelProto& model,
                      const ShapeTable& shapes) {
    net.name = file.stem().string();
    if (net.name.empty()) net.name = model.graph().name();
    net.family = "onnx";
    const TensorInfo& input = shapes[shapes.primary_input()];
    if (input.known && !input.dims.empty()) {
        net.batch = static_cast<int>(input.dims[0]);
        // N x C x H x W images give H; N x C x L sequences their length; anything else has none.
        net.resolution = input.dims.size() >= 3 ? static_cast<int>(input.dims[2]) : 1;
    }
    net.variant["file"] = file.filename().string();
    if (const int opset = default_opset(model)) net.variant["opset"] = std::to_string(opset);
    const std::string producer = model.producer_name() +
                                 (model.producer_version().empty() ? "" : " " + model.producer_version());
    if (!producer.empty()) net.variant["producer"] = producer;
}

bool default_domain(const onnx::NodeProto& node) { return node.domain().empty() || node.domain() == "ai.onnx"; }

std::string qualified_op(const onnx::NodeProto& node) {
    return default_domain(node) ? node.op_type() : node.domain() + "." + node.op_type();
}

}  // namespace

OnnxImportResult import_onnx(const std::filesystem::path& file, const OnnxImportOptions& options) {
    onnx::ModelProto model = load_model(file);
    bind_symbolic_batch(*model.mutable_graph(), options.symbolic_batch);
    std::optional<std::string> inference_error;
    try {
        inference_error = infer_shapes(model);
    } catch (const ShapeInferenceFailure& failure) {
        throw InputError(file.string() + ": " + failure.what());
    }
    if (const auto problem = window_problem(model.graph()))
        throw InputError(file.string() + ": " + *problem);
    const ShapeTable shapes(model.graph());
    const ImportContext context{file.string(), shapes, inference_error};

    OnnxImportResult result;
    Network& net = result.network;
    describe_network(net, file, model, shapes);

    const auto& nodes = model.graph().node();
    for (int i = 0; i < nodes.size(); ++i) {
        const NodeContext node(context, nodes[i], i);
        std::string detail;
        NodeOutcome outcome = NodeOutcome::Unsupported;
        try {
            if (default_domain(nodes[i])) outcome = convert_node(node, net);
        } catch (const UnsupportedNode& unsupported) {
            detail = " (" + unsupported.detail + ")";
        }
        if (outcome == NodeOutcome::Layer) net.layers.back().precision = options.precision;
        if (outcome != NodeOutcome::Unsupported) continue;
        const std::string op = qualified_op(nodes[i]);
        if (!options.skip_unsupported)
            throw InputError(context.file + ": node '" + node.name() + "' has op '" + op + "'" + detail +
                             ", which elaa does not model (use --skip-unsupported to import the rest)");
        result.skipped.push_back("node '" + node.name() + "' (op " + op + ")" + detail);
    }
    return result;
}

}  // namespace elaa::workload
