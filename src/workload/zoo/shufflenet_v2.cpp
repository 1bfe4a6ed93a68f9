#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_shufflenet_v2(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
