#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_resnet(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
