// The simulator editor's first scenario: examples/scenarios/monday.json (docs/SIMULATOR.md).
export const DEFAULT_SCENARIO = `{
  "description": "A Monday 08:00-18:00: chat peaks late morning, call-backs get priority, e-mail and tickets have hours to answer.",
  "seed": 42,
  "day": {"start_hour": 8, "hours": 10},
  "service_level": {
    "seconds": 30, "percent": 80,
    "channels": {"email": {"seconds": 14400, "percent": 90}, "ticket": {"seconds": 28800, "percent": 90}}
  },
  "arrivals": {
    "chat":     [30, 55, 75, 70, 45, 50, 60, 55, 40, 25],
    "callback": [4, 8, 10, 10, 6, 6, 8, 8, 6, 3],
    "email":    [25, 20, 15, 12, 10, 10, 12, 12, 10, 8],
    "ticket":   8
  },
  "handle_time": {
    "chat":     {"distribution": "lognormal", "mean_s": 420, "sigma": 0.6},
    "callback": {"distribution": "exponential", "mean_s": 300},
    "email":    {"distribution": "lognormal", "mean_s": 480, "sigma": 0.8},
    "ticket":   {"distribution": "exponential", "mean_s": 900}
  },
  "patience": {
    "chat":     {"distribution": "exponential", "mean_s": 240},
    "callback": {"distribution": "exponential", "mean_s": 1800}
  },
  "agents": [
    {"name": "Italian desk", "count": 3, "skills": {"lang:it": 5, "lang:en": 3},
     "capacity": {"chat": 2, "callback": 1}, "shift": {"start": 8, "end": 14}},
    {"name": "Italian late", "count": 2, "skills": {"lang:it": 4, "lang:en": 3},
     "capacity": {"chat": 2, "callback": 1}, "shift": {"start": 13, "end": 18}},
    {"name": "English desk", "count": 3, "skills": {"lang:en": 5},
     "capacity": {"chat": 3, "callback": 1}, "shift": {"start": 9, "end": 17}},
    {"name": "Billing", "count": 2, "skills": {"billing": 4, "lang:en": 4}, "teams": ["billing"],
     "capacity": {"chat": 2, "ticket": 5, "email": 5}, "shift": {"start": 8, "end": 16}},
    {"name": "Back office", "count": 2, "skills": {"lang:en": 3},
     "capacity": {"email": 5, "ticket": 5}, "shift": {"start": 10, "end": 18}}
  ],
  "routing": {
    "priority": {"callback": 1},
    "classes": [
      {"channel": "chat", "share": 0.3, "skills": {"lang:it": 3}},
      {"channel": "chat", "share": 0.15, "skills": {"billing": 2}, "team": "billing"},
      {"channel": "email", "share": 0.4, "skills": {"billing": 2}, "team": "billing"},
      {"channel": "ticket", "share": 0.4, "skills": {"billing": 2}, "team": "billing"}
    ],
    "fallback": {
      "default": {"widen_skills_after_s": 120, "widen_team_after_s": 300},
      "chat": {"widen_skills_after_s": 60, "widen_team_after_s": 120, "overflow_after_s": 900}
    }
  }
}
`;
