#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_mobilenet_v1(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
