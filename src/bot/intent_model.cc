#include "bot/intent_model.h"
