#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

void register_squeezenet(ZooRegistry& /*reg*/) {}  // not yet written

}  // namespace elaa::workload::zoo
