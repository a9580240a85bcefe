/* bi-inc/attr_container.h - WAMR's include path for ../attr_container.h. */
#include "../attr_container.h"
