// FAQ bot intent model (issue 5). Filled in by the bot work.
#pragma once
