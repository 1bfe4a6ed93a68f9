// The classic 34-network ImageNet suite (suite/<network>): one register function per source whose
// definitions the suite's accuracies were measured on, plus the small building blocks they share.
//
// Parameter counting follows each source: Keras' count_params() includes BN moving statistics
// (4 per channel, 3 where the BN has scale=False); PyTorch and Darknet count trainable tensors
// (BN gamma and beta: 2 per channel).
#pragma once

#include <cstdint>
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::workload::zoo {

// Per-source registration (suite.cpp calls them all).
void register_suite_keras_resnet(ZooRegistry& reg);     // VGG16/19, ResNet v1/v2, DenseNet
void register_suite_keras_mobile(ZooRegistry& reg);     // MobileNet v1, MobileNet v2
void register_suite_keras_inception(ZooRegistry& reg);  // Xception, Inception v3, Inception-ResNet v2
void register_suite_keras_nasnet(ZooRegistry& reg);     // NASNetMobile, NASNetLarge
void register_suite_senet(ZooRegistry& reg);            // Cadene's SE-ResNet/SE-ResNeXt/SENet154, ResNeXt101
void register_suite_qubvel(ZooRegistry& reg);           // qubvel's ResNeXt50, SE-ResNet18/34
void register_suite_darknet(ZooRegistry& reg);          // Darknet-19

namespace suite {

inline constexpr const char* kFamily = "suite";
// BN parameters per channel as each source counts them.
inline constexpr int kKerasBn = 4;         // gamma, beta, moving mean, moving variance
inline constexpr int kKerasBnNoScale = 3;  // scale=False: no gamma
inline constexpr int kTrainableBn = 2;     // gamma, beta (PyTorch num_params, Darknet scales + biases)

// "suite/<network>" as the accuracy table's network column spells it.
std::string suite_name(const std::string& network);

// Keras "same" padding for a rectangular kernel (Inception's 1x7 / 7x1 convs).
Window same_rect(int kh, int kw, int stride = 1);
// Keras ZeroPadding2D(imagenet_utils.correct_pad(x, k)) followed by a "valid" k x k window: pads
// k/2 after, and k/2 before on odd extents or k/2 - 1 on even ones.
Window keras_correct_pad(const Tensor& x, int k, int stride);

// Convolution followed by a BatchNormalization counting `bn` parameters per channel (0: no BN).
Tensor conv_bn(NetworkBuilder& b, const Tensor& x, std::int64_t filters, const Window& window, int bn,
               bool bias = false, std::int64_t groups = 1, std::string name = "");
// Keras SeparableConv2D without bias: depthwise k x k (multiplier 1), then pointwise 1x1.
Tensor separable_conv(NetworkBuilder& b, const Tensor& x, std::int64_t filters, const Window& depthwise,
                      const std::string& name = "");
// Squeeze-and-excitation as 1x1 convs with bias (Cadene's SEModule, qubvel's ChannelSE): global
// average pool, reduce to `squeezed` channels, expand back, gate x with a c x 1 x 1 Mul.
Tensor squeeze_excite(NetworkBuilder& b, const Tensor& x, std::int64_t squeezed, const std::string& name);

}  // namespace suite
}  // namespace elaa::workload::zoo
