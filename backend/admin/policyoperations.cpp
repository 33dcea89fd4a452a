// AdminService: the policy operations. Filled in by the policy work of issue 3.
#include "admin/adminservice.h"

namespace promail
{

void AdminService::addPolicyOperations()
{
}

} // namespace promail
