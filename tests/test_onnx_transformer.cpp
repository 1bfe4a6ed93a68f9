// ONNX import of transformer graphs: attention's products of two activations, softmax, layer norm
// (the LayerNormalization operator and the ReduceMean/Sub/Pow/Sqrt/Div form that opset-14
// exporters write), GELU (the operator and its Erf form), and the reshapes, transposes, splits and
// concatenations between them. The ViT-B/16 graph below is written here, the way PyTorch 1.13
// exports torchvision's vit_b_16 at opset 14, and must give the zoo network's MACs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "onnx_model_maker.hpp"
#include "util/error.hpp"
#include "workload/onnx/import.hpp"
#include "network_queries.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa::workload;
using namespace elaa::testing;

using elaa::test::count_kind;
using elaa::test::layer_named;

namespace {

// Writes nodes into one ModelMaker with unique tensor names under a prefix.
class GraphWriter {
public:
    explicit GraphWriter(ModelMaker& m) : m_(m) {}

    std::string op(const std::string& type, const std::vector<std::string>& inputs, const std::string& name) {
        m_.node(type, inputs, {name}, name);
        return name;
    }
    std::string weight(const std::string& name, const Dims& dims) {
        m_.weight(name, dims);
        return name;
    }
    std::string shape(const std::string& name, const Dims& dims) {
        m_.int64_constant(name, dims);
        return name;
    }
    std::string reshape(const std::string& x, const Dims& dims, const std::string& name) {
        return op("Reshape", {x, shape(name + ".shape", dims)}, name);
    }
    std::string transpose(const std::string& x, const Dims& perm, const std::string& name) {
        const std::string out = op("Transpose", {x}, name);
        attr(last(), "perm", perm);
        return out;
    }
    // x . W + b, W stored as (in x out) as PyTorch exports nn.Linear on 3-D tokens.
    std::string linear(const std::string& x, std::int64_t in, std::int64_t out, const std::string& name) {
        const std::string product = op("MatMul", {x, weight(name + ".weight", {in, out})}, name + ".matmul");
        return op("Add", {product, weight(name + ".bias", {out})}, name + ".bias_add");
    }
    // The decomposed layer norm over the last axis of [1, tokens, d].
    std::string layer_norm(const std::string& x, std::int64_t d, const std::string& name) {
        const std::string mean = op("ReduceMean", {x}, name + ".mean");
        attr(last(), "axes", Dims{-1});
        const std::string centred = op("Sub", {x, mean}, name + ".sub");
        m_.float_constant(name + ".two", 2.0f);
        const std::string square = op("Pow", {centred, name + ".two"}, name + ".pow");
        const std::string var = op("ReduceMean", {square}, name + ".var");
        attr(last(), "axes", Dims{-1});
        m_.float_constant(name + ".eps", 1e-6f);
        const std::string std_dev = op("Sqrt", {op("Add", {var, name + ".eps"}, name + ".add_eps")}, name + ".sqrt");
        const std::string normalised = op("Div", {centred, std_dev}, name + ".div");
        const std::string scaled = op("Mul", {normalised, weight(name + ".weight", {d})}, name + ".scale");
        return op("Add", {scaled, weight(name + ".bias", {d})}, name + ".shift");
    }
    // GELU as x * 0.5 * (1 + erf(x / sqrt 2)).
    std::string gelu(const std::string& x, const std::string& name) {
        m_.float_constant(name + ".sqrt2", 1.4142135f);
        m_.float_constant(name + ".one", 1.0f);
        m_.float_constant(name + ".half", 0.5f);
        const std::string erf = op("Erf", {op("Div", {x, name + ".sqrt2"}, name + ".div")}, name + ".erf");
        const std::string gate = op("Add", {erf, name + ".one"}, name + ".add");
        return op("Mul", {op("Mul", {x, gate}, name + ".mul"), name + ".half"}, name + ".half_mul");
    }
    onnx::NodeProto& last() { return *m_.model().mutable_graph()->mutable_node()->rbegin(); }

private:
    ModelMaker& m_;
};

// torchvision's vit_b_16 at 224: patches of 16, 12 blocks of 12 heads, D 768, MLP 3072.
void write_vit_b_16(ModelMaker& m) {
    constexpr std::int64_t D = 768, heads = 12, head_dim = 64, tokens = 197, mlp = 3072;
    GraphWriter g(m);
    m.input("image", {1, 3, 224, 224});
    const std::string patches =
        g.op("Conv", {"image", g.weight("patch.weight", {D, 3, 16, 16}), g.weight("patch.bias", {D})}, "patch_embed");
    attr(g.last(), "kernel_shape", Dims{16, 16});
    attr(g.last(), "strides", Dims{16, 16});
    std::string x = g.transpose(g.reshape(patches, {1, D, 196}, "flatten"), {0, 2, 1}, "to_tokens");
    x = g.op("Concat", {g.weight("class_token", {1, 1, D}), x}, "with_class_token");
    attr(g.last(), "axis", std::int64_t{1});
    x = g.op("Add", {x, g.weight("pos_embedding", {1, tokens, D})}, "pos_embed");

    for (int l = 0; l < 12; ++l) {
        const std::string at = "block" + std::to_string(l);
        const std::string y = g.layer_norm(x, D, at + ".ln1");
        const std::string qkv = g.linear(y, D, 3 * D, at + ".qkv");
        m.node("Split", {qkv}, {at + ".q", at + ".k", at + ".v"}, at + ".split");
        attr(g.last(), "axis", std::int64_t{-1});
        auto heads_of = [&](const std::string& t, const Dims& perm) {
            return g.transpose(g.reshape(t, {1, tokens, heads, head_dim}, t + ".heads"), perm, t + ".perm");
        };
        const std::string q = heads_of(at + ".q", {0, 2, 1, 3});    // [1, 12, 197, 64]
        const std::string kt = heads_of(at + ".k", {0, 2, 3, 1});   // [1, 12, 64, 197]
        const std::string v = heads_of(at + ".v", {0, 2, 1, 3});
        const std::string scores = g.op("MatMul", {q, kt}, at + ".q_kt");
        const std::string attention = g.op("Softmax", {scores}, at + ".softmax");
        attr(g.last(), "axis", std::int64_t{-1});
        std::string z = g.op("MatMul", {attention, v}, at + ".a_v");
        z = g.reshape(g.transpose(z, {0, 2, 1, 3}, at + ".merge"), {1, tokens, D}, at + ".concat_heads");
        x = g.op("Add", {x, g.linear(z, D, D, at + ".proj")}, at + ".residual1");
        z = g.gelu(g.linear(g.layer_norm(x, D, at + ".ln2"), D, mlp, at + ".fc1"), at + ".gelu");
        x = g.op("Add", {x, g.linear(z, mlp, D, at + ".fc2")}, at + ".residual2");
    }
    x = g.layer_norm(x, D, "ln");
    m.int64_constant("class_index", {0});
    x = g.op("Gather", {x, "class_index"}, "class_token_out");  // [1, 1, 768]
    attr(g.last(), "axis", std::int64_t{1});
    x = g.reshape(x, {1, D}, "head_in");
    g.op("Gemm", {x, g.weight("head.weight", {1000, D}), g.weight("head.bias", {1000})}, "head");
    attr(g.last(), "transB", std::int64_t{1});
    m.output("head");
}


}  // namespace

TEST_CASE("a ViT-B/16 graph imports with the zoo network's MACs", "[onnx][transformer]") {
    TempDir dir;
    ModelMaker m;
    write_vit_b_16(m);
    const auto imported = import_onnx(m.write(dir.file("vit_b_16.onnx")));
    CHECK(imported.skipped.empty());
    const Network& net = imported.network;
    const Network zoo = Zoo::instance().build("vit_b_16");
    // Every MAC of the zoo's definition (torchvision's count, 17.564 G): same products, so equal.
    CHECK(net.macs() == zoo.macs());
    CHECK(net.macs() == 17'563'828'224);
    CHECK(count_kind(net, OpKind::MatMul) == 24);  // Q.K^T and A.V of 12 blocks
    CHECK(count_kind(net, OpKind::Softmax) == 12);
    CHECK(count_kind(net, OpKind::Gemm) == 12 * 4 + 1);  // qkv, proj, fc1, fc2 per block; head

    const Layer& q_kt = layer_named(net, "block0.q_kt");
    CHECK(q_kt.G == 12);  // one key matrix per head
    CHECK(q_kt.OX == 197);
    CHECK(q_kt.C == 64);
    CHECK(q_kt.K == 197);
    CHECK(q_kt.weight_count() == 0);
    const Layer& a_v = layer_named(net, "block0.a_v");
    CHECK(a_v.C == 197);
    CHECK(a_v.K == 64);
    const Layer& qkv = layer_named(net, "block0.qkv.matmul");
    CHECK(qkv.kind == OpKind::Gemm);
    CHECK(qkv.OX == 197);
    CHECK(qkv.weight_count() == 768 * 2304);
    // The decomposed layer norm: two reductions reading every one of the 197 x 768 elements.
    const Layer& mean = layer_named(net, "block0.ln1.mean");
    CHECK(mean.kind == OpKind::AvgPool);
    CHECK(mean.ops() == 197 * 768);
    CHECK(mean.G == 197);
    // Parameters: the zoo's, less the class token, which a Concat of an initializer does not count
    // (ONNX has no parameter notion; the importer counts initializers consumed by layers).
    CHECK(net.params() == zoo.params() - 768);
}

TEST_CASE("LayerNormalization, Softmax and Gelu operators become vector layers", "[onnx][transformer]") {
    TempDir dir;
    ModelMaker m;
    m.set_opset(17);  // LayerNormalization's first opset
    m.input("tokens", {1, 50, 64});
    m.weight("ln.weight", {64});
    m.weight("ln.bias", {64});
    m.node("LayerNormalization", {"tokens", "ln.weight", "ln.bias"}, {"normed"}, "ln");
    m.node("Softmax", {"normed"}, {"prob"}, "softmax");
    // Gelu is opset 20, newer than the ONNX library's shape inference: the exporter's value_info
    // gives its output shape.
    m.node("Gelu", {"prob"}, {"act"}, "gelu");
    m.value_info("act", {1, 50, 64});
    m.output("act");
    const auto imported = import_onnx(m.write(dir.file("vector_ops.onnx")));
    const Network& net = imported.network;
    REQUIRE(net.layers.size() == 3);
    CHECK(net.layers[0].kind == OpKind::LayerNorm);
    CHECK(net.layers[0].params() == 128);  // scale and shift
    CHECK(net.layers[1].kind == OpKind::Softmax);
    CHECK(net.layers[2].kind == OpKind::Gelu);
    for (const auto& layer : net.layers) {
        CHECK(layer.ops() == 50 * 64);
        CHECK_FALSE(layer.has_operand(Operand::W));
    }
}

TEST_CASE("malformed transformer graphs fail naming the node", "[onnx][transformer]") {
    using Catch::Matchers::Contains;
    TempDir dir;
    {
        ModelMaker m;  // Q.K^T with K not transposed: inner sizes 64 and 197
        m.input("q", {1, 12, 197, 64});
        m.input("k", {1, 12, 197, 64});
        m.node("MatMul", {"q", "k"}, {"scores"}, "block3.q_kt");
        m.output("scores");
        const auto path = m.write(dir.file("untransposed.onnx"));
        CHECK_THROWS_AS(import_onnx(path), elaa::InputError);
        CHECK_THROWS_WITH(import_onnx(path), Contains("untransposed.onnx") && Contains("'block3.q_kt'"));
    }
    {
        ModelMaker m;  // a softmax after a Gelu whose output shape neither inference nor the model gives
        m.input("tokens", {1, 50, 64});
        m.node("Gelu", {"tokens"}, {"act"}, "block0.gelu");
        m.node("Softmax", {"act"}, {"prob"}, "block0.softmax");
        m.output("prob");
        const auto path = m.write(dir.file("unknown_shape.onnx"));
        CHECK_THROWS_WITH(import_onnx(path), Contains("unknown_shape.onnx") && Contains("'block0.softmax'"));
    }
}
