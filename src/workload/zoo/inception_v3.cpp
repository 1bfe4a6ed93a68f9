#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_inception_v3(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
