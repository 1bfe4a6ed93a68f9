#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_densenet(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
