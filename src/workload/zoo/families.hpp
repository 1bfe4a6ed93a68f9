// One register function per family file. Each adds its networks to the registry.
#pragma once

#include "workload/zoo/zoo.hpp"

namespace elaa::workload::zoo {

// torchvision's classic CNNs
void register_alexnet(ZooRegistry& reg);
void register_vgg(ZooRegistry& reg);
void register_resnet(ZooRegistry& reg);  // ResNet, ResNeXt, Wide-ResNet
void register_squeezenet(ZooRegistry& reg);
void register_densenet(ZooRegistry& reg);
void register_googlenet(ZooRegistry& reg);
void register_inception_v3(ZooRegistry& reg);

// compact / mobile families (torchvision and TF grids)
void register_mobilenet_v1(ZooRegistry& reg);
void register_mobilenet_v2(ZooRegistry& reg);
void register_mobilenet_v3(ZooRegistry& reg);
void register_mnasnet(ZooRegistry& reg);
void register_shufflenet_v2(ZooRegistry& reg);
void register_efficientnet(ZooRegistry& reg);
void register_regnet(ZooRegistry& reg);

// transformers and the CNNs designed against them
void register_vit(ZooRegistry& reg);       // ViT-B/L/H, torchvision and SWAG weights' resolutions
void register_swin(ZooRegistry& reg);      // Swin and Swin V2
void register_convnext(ZooRegistry& reg);
void register_maxvit(ZooRegistry& reg);

// the classic 34-network ImageNet suite (suite/... names)
void register_suite(ZooRegistry& reg);

}  // namespace elaa::workload::zoo
