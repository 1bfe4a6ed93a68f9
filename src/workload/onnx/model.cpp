#include "workload/onnx/model.hpp"

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "util/error.hpp"

namespace elaa::workload::onnx_import {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
    throw InputError(file.string() + ": " + what);
}

std::string read_bytes(const fs::path& file) {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (!fs::exists(status)) fail(file, "cannot read the ONNX model: no such file");
    if (fs::is_directory(status)) fail(file, "is a directory, expected an ONNX model file (.onnx)");
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(file, std::string("cannot read the ONNX model: ") + std::strerror(errno));
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) fail(file, "cannot read the ONNX model: read error");
    return bytes;
}

}  // namespace

onnx::ModelProto load_model(const fs::path& file) {
    const std::string bytes = read_bytes(file);
    if (bytes.empty()) fail(file, "the file is empty, expected an ONNX model (a serialized onnx.ModelProto)");
    onnx::ModelProto model;
    // Parsing only reads the protobuf: initializers stored in external files stay unread, which is
    // why the ONNX checker (that wants their data) is never run.
    if (!model.ParseFromString(bytes))
        fail(file, "not a valid ONNX model: the bytes do not parse as an onnx.ModelProto (truncated file, or not "
                   "an ONNX file)");
    // Arbitrary bytes sometimes parse as a protobuf of unknown fields; every ONNX writer sets these.
    if (!model.has_ir_version())
        fail(file, "not an ONNX model: no ir_version field (expected a serialized onnx.ModelProto)");
    if (!model.has_graph())
        fail(file, "the ONNX model has no graph (expected a ModelProto whose graph holds the network's nodes)");
    if (model.graph().node_size() == 0)
        fail(file, "the ONNX model's graph has no nodes (expected the network's operators)");
    return model;
}

namespace {

std::set<std::string> initializer_names(const onnx::GraphProto& graph) {
    std::set<std::string> names;
    for (const auto& init : graph.initializer()) names.insert(init.name());
    return names;
}

onnx::TensorShapeProto* mutable_shape(onnx::ValueInfoProto& value) {
    if (!value.type().has_tensor_type() || !value.type().tensor_type().has_shape()) return nullptr;
    return value.mutable_type()->mutable_tensor_type()->mutable_shape();
}

void bind_symbols(onnx::ValueInfoProto& value, const std::set<std::string>& symbols, std::int64_t batch) {
    auto* shape = mutable_shape(value);
    if (!shape) return;
    for (auto& dim : *shape->mutable_dim())
        if (dim.has_dim_param() && symbols.count(dim.dim_param())) dim.set_dim_value(batch);
}

}  // namespace

void bind_symbolic_batch(onnx::GraphProto& graph, std::int64_t batch) {
    const auto initializers = initializer_names(graph);
    std::set<std::string> symbols;
    for (auto& input : *graph.mutable_input()) {
        if (initializers.count(input.name())) continue;
        auto* shape = mutable_shape(input);
        if (!shape || shape->dim_size() == 0) continue;
        auto* first = shape->mutable_dim(0);
        if (first->has_dim_value()) continue;
        if (first->has_dim_param()) symbols.insert(first->dim_param());
        first->set_dim_value(batch);
    }
    if (symbols.empty()) return;
    // A symbol names one value throughout the graph, so "N" in value_info is the same batch.
    for (auto& value : *graph.mutable_input()) bind_symbols(value, symbols, batch);
    for (auto& value : *graph.mutable_output()) bind_symbols(value, symbols, batch);
    for (auto& value : *graph.mutable_value_info()) bind_symbols(value, symbols, batch);
}

namespace {

// ONNX 1.12's convPoolShapeInference indexes the input's dimensions by the weight's (or
// kernel_shape's) and reads past them when the input has the lower rank, which crashes the
// process (found by fuzzing, docs/hardening.md). The ranks can only be judged as inference
// reaches each node, so this registry hands out copies of the windowed ops' schemas whose
// inference refuses such a node first; window_problem then names it.
class GuardedSchemaRegistry : public onnx::ISchemaRegistry {
public:
    const onnx::OpSchema* GetSchema(const std::string& op, const int max_version,
                                    const std::string& domain) const override {
        const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Instance()->GetSchema(op, max_version, domain);
        const int weight_input = weight_input_of(op, domain);
        if (!schema || weight_input < -1) return schema;
        auto& guarded = guarded_[{op, schema->since_version()}];
        if (!guarded) {
            guarded = std::make_unique<onnx::OpSchema>(*schema);
            guarded->TypeAndShapeInferenceFunction(
                [weight_input, infer = schema->GetTypeAndShapeInferenceFunction()](onnx::InferenceContext& ctx) {
                    refuse_non_positive_window(ctx);
                    refuse_low_input_rank(ctx, weight_input);
                    if (infer) infer(ctx);
                });
        }
        return guarded.get();
    }

private:
    // The input holding the weight, -1 for pools (kernel_shape only), < -1 for other ops.
    static int weight_input_of(const std::string& op, const std::string& domain) {
        if (!domain.empty() && domain != "ai.onnx") return -2;
        if (op == "Conv" || op == "ConvInteger" || op == "ConvTranspose") return 1;
        if (op == "QLinearConv") return 3;
        if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") return -1;
        return -2;
    }

    static std::optional<int> input_rank(const onnx::InferenceContext& ctx, std::size_t index) {
        if (index >= ctx.getNumInputs()) return std::nullopt;
        const onnx::TypeProto* type = ctx.getInputType(index);
        if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape()) return std::nullopt;
        return type->tensor_type().shape().dim_size();
    }

    // convPoolShapeInference divides by the strides and multiplies by the dilations: a zero stride
    // is a SIGFPE in the library (finding 5). Refused here; window_problem then names the node.
    static void refuse_non_positive_window(onnx::InferenceContext& ctx) {
        for (const char* name : {"strides", "dilations", "kernel_shape"})
            if (const onnx::AttributeProto* attribute = ctx.getAttribute(name))
                for (auto value : attribute->ints())
                    if (value <= 0) fail_shape_inference("'", name, "' must be positive, got ", value);
    }

    static void refuse_low_input_rank(onnx::InferenceContext& ctx, int weight_input) {
        const auto input = input_rank(ctx, 0);
        if (!input) return;
        int needed = 0;
        if (weight_input >= 0) needed = input_rank(ctx, static_cast<std::size_t>(weight_input)).value_or(0);
        if (const onnx::AttributeProto* kernel = ctx.getAttribute("kernel_shape"))
            needed = std::max(needed, kernel->ints_size() + 2);
        if (*input < needed)
            fail_shape_inference("input of rank ", *input, " below the rank ", needed, " its weight/kernel needs");
    }

    mutable std::map<std::pair<std::string, int>, std::unique_ptr<onnx::OpSchema>> guarded_;
};

std::optional<std::string> infer_in_this_process(onnx::ModelProto& model) {
    // error_mode 0: a node whose shape cannot be inferred keeps its declared shapes instead of
    // aborting; data propagation lets Reshape targets computed by Shape/Gather/Concat resolve.
    const onnx::ShapeInferenceOptions options{/*check_type=*/false, /*error_mode=*/0, /*data_prop=*/true};
    const GuardedSchemaRegistry registry;  // per call: imports may run on several threads
    try {
        onnx::shape_inference::InferShapes(model, &registry, options);
    } catch (const std::exception& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

bool write_all(int fd, const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

constexpr int kInferenceTimeoutSeconds = 120;

// ONNX 1.12's shape inference has crashes beyond the ones the guarded schemas refuse (fuzzing
// found a null dereference inside ShapeInferenceImplBase::process on a model with opset 112 and
// nameless nodes, finding 5), so it runs in a child process: a crash or a hang of the library
// becomes an error naming the model instead of ending elaa. The child sends back either "M" and
// the model with the shapes inference added, or "E", inference's own error and that model.
std::optional<std::string> run_inference(onnx::ModelProto& model) {
    // One import at a time forks: a child must not inherit another import's pipe (so also
    // close-on-exec) or a lock that another thread holds inside ONNX or protobuf.
    static std::mutex one_at_a_time;
    const std::lock_guard lock(one_at_a_time);
    // Built once here rather than in every child (ONNX registers its schemas on first use).
    onnx::OpSchemaRegistry::Instance();
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return infer_in_this_process(model);  // no isolation, but no failure either
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        return infer_in_this_process(model);
    }
    if (child == 0) {
        ::close(pipe_fds[0]);
        // A crash must end this copy, not run the parent's handlers (a test framework's, say).
        for (int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(signal_number, SIG_DFL);
        const auto error = infer_in_this_process(model);
        // Inference that stops with an error has still added the shapes it reached: send both.
        const std::string message = error.value_or("");
        const std::string length = std::to_string(message.size());
        const bool sent = write_all(pipe_fds[1], (error ? "E" : "M") + length + ":" + message + model.SerializeAsString());
        ::_exit(sent ? 0 : 1);  // no atexit handlers, destructors or leak checks in the copy
    }
    ::close(pipe_fds[1]);
    std::string reply;
    bool timed_out = false;
    char buffer[65536];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kInferenceTimeoutSeconds);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd readable{pipe_fds[0], POLLIN, 0};
        const int ready = ::poll(&readable, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) break;  // cannot wait: the child's reply is incomplete, reported below
        if (ready == 0) {
            timed_out = true;
            ::kill(child, SIGKILL);
            break;
        }
        const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    pid_t waited;
    while ((waited = ::waitpid(child, &status, 0)) < 0 && errno == EINTR) {
    }
    if (waited != child) status = -1;  // not reaped (SIGCHLD ignored): trust only a complete reply below
    if (timed_out)
        throw ShapeInferenceFailure("ONNX's shape inference did not finish within " +
                                    std::to_string(kInferenceTimeoutSeconds) + " s on this model");
    const bool clean_exit = status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!clean_exit || reply.empty()) {
        const std::string how = status == -1     ? std::string("no complete reply")
                                : WIFSIGNALED(status) ? std::string("signal ") + std::to_string(WTERMSIG(status)) + " (" +
                                                          ::strsignal(WTERMSIG(status)) + ")"
                                                    : "exit status " + std::to_string(WEXITSTATUS(status));
        throw ShapeInferenceFailure("ONNX 1.12's shape inference crashed on this model (" + how +
                                    "); the model is malformed in a way ONNX does not check (run onnx.checker."
                                    "check_model(model, full_check=True) on it)");
    }
    // "E" or "M", the error's length, ':', the error, the model.
    const auto colon = reply.find(':');
    std::size_t length = 0;
    const bool framed = (reply[0] == 'E' || reply[0] == 'M') && colon != std::string::npos &&
                        std::from_chars(reply.data() + 1, reply.data() + colon, length).ptr == reply.data() + colon &&
                        colon + 1 + length <= reply.size();
    onnx::ModelProto inferred;
    if (!framed || !inferred.ParseFromString(reply.substr(colon + 1 + length)))
        throw ShapeInferenceFailure("could not read back the shapes ONNX inferred for this model");
    model = std::move(inferred);
    if (reply[0] == 'E') return reply.substr(colon + 1, length);
    return std::nullopt;
}

bool has_shape(const onnx::ValueInfoProto& value) {
    return value.type().has_tensor_type() && value.type().tensor_type().has_shape();
}

// Adds to `graph` the shapes `inferred` knows and `graph` does not declare.
void adopt_missing_shapes(onnx::GraphProto& graph, const onnx::GraphProto& inferred) {
    std::set<std::string> declared;
    for (const auto& value : graph.input()) declared.insert(value.name());
    for (const auto& value : graph.value_info()) declared.insert(value.name());
    for (int i = 0; i < graph.output_size() && i < inferred.output_size(); ++i)
        if (!has_shape(graph.output(i)) && has_shape(inferred.output(i)))
            *graph.mutable_output(i)->mutable_type() = inferred.output(i).type();
    for (const auto& value : inferred.value_info())
        if (!declared.count(value.name())) *graph.add_value_info() = value;
}

}  // namespace

std::optional<std::string> window_problem(const onnx::GraphProto& graph) {
    std::map<std::string, int> rank;
    auto declare = [&](const onnx::ValueInfoProto& v) {
        if (has_shape(v)) rank[v.name()] = v.type().tensor_type().shape().dim_size();
    };
    for (const auto& v : graph.input()) declare(v);
    for (const auto& v : graph.value_info()) declare(v);
    for (const auto& t : graph.initializer()) rank[t.name()] = t.dims_size();
    auto rank_of = [&](const onnx::NodeProto& node, int index) -> std::optional<int> {
        if (index >= node.input_size()) return std::nullopt;
        auto it = rank.find(node.input(index));
        return it == rank.end() ? std::nullopt : std::optional<int>(it->second);
    };
    static const std::map<std::string, int> weight_input{{"Conv", 1},        {"ConvInteger", 1}, {"ConvTranspose", 1},
                                                         {"QLinearConv", 3}, {"MaxPool", -1},    {"AveragePool", -1},
                                                         {"LpPool", -1}};
    for (const auto& node : graph.node()) {
        const auto windowed = weight_input.find(node.op_type());
        if (windowed == weight_input.end()) continue;
        for (const auto& a : node.attribute()) {
            if (a.name() != "strides" && a.name() != "dilations" && a.name() != "kernel_shape") continue;
            if (std::all_of(a.ints().begin(), a.ints().end(), [](std::int64_t v) { return v > 0; })) continue;
            std::string values;
            for (auto v : a.ints()) values += (values.empty() ? "" : ", ") + std::to_string(v);
            return "node '" + node.name() + "' (" + node.op_type() + "): '" + a.name() + "' must be positive, got [" +
                   values + "]";
        }
        if (node.input_size() == 0) continue;
        const auto input = rank_of(node, 0);
        int needed = windowed->second >= 0 ? rank_of(node, windowed->second).value_or(0) : 0;
        for (const auto& a : node.attribute())
            if (a.name() == "kernel_shape") needed = std::max(needed, a.ints_size() + 2);
        if (input && *input < needed)
            return "node '" + node.name() + "' (" + node.op_type() + "): input '" + node.input(0) + "' of rank " +
                   std::to_string(*input) + ", its weight/kernel needs rank " + std::to_string(needed);
    }
    return std::nullopt;
}

std::optional<std::string> infer_shapes(onnx::ModelProto& model) {
    onnx::ModelProto fallback = model;
    const auto error = run_inference(model);
    if (!error) return std::nullopt;
    // Inference aborts as a whole when a declared shape contradicts ONNX's rules, typically a
    // PyTorch ceil_mode pool (PyTorch drops a last window that starts in the padding, ONNX 1.12
    // does not). Infer again without the declarations and keep them where they exist.
    fallback.mutable_graph()->clear_value_info();
    for (auto& output : *fallback.mutable_graph()->mutable_output())
        if (has_shape(output)) output.mutable_type()->mutable_tensor_type()->clear_shape();
    if (!run_inference(fallback)) adopt_missing_shapes(*model.mutable_graph(), fallback.graph());
    return error;
}

std::int64_t element_count(const std::vector<std::int64_t>& dims) {
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    return n;
}

namespace {

// The value of a Constant node, whichever of its attributes holds it.
std::optional<TensorInfo> constant_value(const onnx::AttributeProto& attr) {
    TensorInfo info;
    info.known = true;
    info.constant = true;
    const std::string& kind = attr.name();
    if (kind == "value") {
        info.dims.assign(attr.t().dims().begin(), attr.t().dims().end());
        info.elem_type = attr.t().data_type();
    } else if (kind == "sparse_value") {
        info.dims.assign(attr.sparse_tensor().dims().begin(), attr.sparse_tensor().dims().end());
    } else if (kind == "value_ints" || kind == "value_int") {
        info.elem_type = onnx::TensorProto_DataType_INT64;
        if (kind == "value_ints") info.dims = {attr.ints_size()};
    } else if (kind == "value_floats" || kind == "value_float") {
        info.elem_type = onnx::TensorProto_DataType_FLOAT;
        if (kind == "value_floats") info.dims = {attr.floats_size()};
    } else if (kind == "value_strings" || kind == "value_string") {
        if (kind == "value_strings") info.dims = {attr.strings_size()};
    } else {
        return std::nullopt;
    }
    return info;  // the scalar forms keep dims empty
}

}  // namespace

ShapeTable::ShapeTable(const onnx::GraphProto& graph) {
    for (const auto& value : graph.input()) declare(value);
    for (const auto& value : graph.output()) declare(value);
    for (const auto& value : graph.value_info()) declare(value);
    const auto initializers = initializer_names(graph);
    for (const auto& init : graph.initializer()) constant(init.name(), init, true);
    for (const auto& input : graph.input())
        if (!initializers.count(input.name())) {
            primary_input_ = input.name();
            break;
        }

    for (const auto& node : graph.node()) {
        if (node.op_type() != "Constant" || !node.domain().empty() || node.output_size() != 1) continue;
        for (const auto& attr : node.attribute())
            if (auto info = constant_value(attr)) {
                tensors_[node.output(0)] = std::move(*info);
                break;
            }
    }
}

void ShapeTable::declare(const onnx::ValueInfoProto& value) {
    if (!value.type().has_tensor_type()) return;
    const auto& type = value.type().tensor_type();
    TensorInfo& info = tensors_[value.name()];
    if (type.has_elem_type()) info.elem_type = type.elem_type();
    if (!type.has_shape() || info.known) return;
    std::vector<std::int64_t> dims;
    for (const auto& dim : type.shape().dim()) {
        if (!dim.has_dim_value() || dim.dim_value() < 0) return;  // symbolic or unknown: not fixed
        dims.push_back(dim.dim_value());
    }
    info.dims = std::move(dims);
    info.known = true;
}

void ShapeTable::constant(const std::string& name, const onnx::TensorProto& tensor, bool initializer) {
    TensorInfo& info = tensors_[name];
    // Dims are always stored with the tensor, even when its data lives in an external file.
    info.dims.assign(tensor.dims().begin(), tensor.dims().end());
    info.known = true;
    info.constant = true;
    info.initializer = initializer;
    if (tensor.has_data_type()) info.elem_type = tensor.data_type();
}

const TensorInfo& ShapeTable::operator[](const std::string& name) const {
    static const TensorInfo unknown;
    const auto it = tensors_.find(name);
    return it == tensors_.end() ? unknown : it->second;
}

}  // namespace elaa::workload::onnx_import
