// AdminService: the queue operations. Filled in by the queue work of issue 3.
#include "admin/adminservice.h"

namespace promail
{

void AdminService::addQueueOperations()
{
}

} // namespace promail
