// Drift and dips over a soak's intervals (analysis/soak_drift.h) on crafted samples: every directed pair of a
// few hosts measured once per interval, with a fault shaped as a fabric would show it.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/soak_drift.h"

namespace railcheck::analysis {
namespace {

constexpr double kStart = 1.8e9;  // 2027-01-15 08:00:00 UTC
constexpr double kInterval = 60.0;

/// GB/s of src -> dst in an interval; the healthy value with a deterministic +-3 % wobble by default.
using Shape = std::function<double(int src, int dst, int interval)>;

double wobble(int src, int dst, int interval) {
  return 2.0 * (1.0 + 0.03 * std::sin(1.7 * src + 2.3 * dst + 0.9 * interval));
}

Samples soak_of(int hosts, int intervals, const Shape& shape = wobble) {
  Samples s;
  for (int i = 0; i < intervals; ++i) {
    for (int a = 1; a <= hosts; ++a) {
      for (int b = 1; b <= hosts; ++b) {
        if (a == b) continue;
        LinkSample l;
        l.test = "soak_links";
        l.host_a = "node" + std::to_string(a);
        l.host_b = "node" + std::to_string(b);
        l.nic_a = l.nic_b = "eth0";
        l.metric = "p2p.bw bw_gbps";
        l.size_bytes = 1 << 20;
        l.directional = true;
        l.interval = i;
        l.start_unix_s = kStart + kInterval * i + a;
        l.value = shape(a, b, i);
        s.links.push_back(l);
      }
    }
  }
  return s;
}

std::string texts(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) out += "\n  " + f.evidence.text;
  return out;
}

std::vector<Finding> not_passing(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.status != VerdictStatus::kPass) out.push_back(f);
  }
  return out;
}

// node3's link capped on its way out from interval 5 on (tbf on its egress): its transmit side fails, with the
// interval and its start time; its peers, which receive slowly from it only, are not blamed.
TEST(SoakDrift, AHostsSendingCappedMidSoakFailsItsNicTransmitFromTheIntervalItBegan) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) { return a == 3 && i >= 5 ? 0.05 : wobble(a, b, i); });
  const auto findings = not_passing(soak_findings(soak, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u) << findings.size() << " findings; first: " << findings.front().evidence.text;
  const Finding& f = findings[0];
  EXPECT_EQ(f.component, make_nic("node3", "eth0", 0));
  EXPECT_EQ(f.status, VerdictStatus::kFail);
  EXPECT_EQ(f.evidence.direction, "tx");
  EXPECT_EQ(f.evidence.source, "soak");
  EXPECT_NE(f.evidence.text.find("from interval 5 (from 2027-01-15 08:05:01 UTC)"), std::string::npos)
      << f.evidence.text;
  EXPECT_NEAR(f.evidence.deviation, 0.05 / 2.0 - 1.0, 0.01);
}

// Three hosts: each NIC direction has two pairs, so node3's slow sends make half of each peer's receives slow;
// the peers' receive sides are explained by node3's lower ratio and stay clear.
TEST(SoakDrift, WithThreeHostsThePeersOfTheSlowSenderAreStillNotBlamed) {
  const Samples soak = soak_of(3, 9, [](int a, int b, int i) { return a == 3 && i >= 6 ? 0.3 : wobble(a, b, i); });
  const auto findings = not_passing(soak_findings(soak, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u) << findings.front().evidence.text;
  EXPECT_EQ(findings[0].component, make_nic("node3", "eth0", 0));
  EXPECT_EQ(findings[0].evidence.direction, "tx");
}

// One direction of one NIC: node2 receives slowly (a cap on its ingress) from interval 4 on.
TEST(SoakDrift, AReceiveSideDriftIsNamedAsReceiving) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) { return b == 2 && i >= 4 ? 1.0 : wobble(a, b, i); });
  const auto findings = not_passing(soak_findings(soak, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].component, make_nic("node2", "eth0", 0));
  EXPECT_EQ(findings[0].evidence.direction, "rx");
  EXPECT_NE(findings[0].evidence.text.find("receiving"), std::string::npos);
  EXPECT_NE(findings[0].evidence.text.find("from interval 4"), std::string::npos) << findings[0].evidence.text;
}

// A healthy soak (a +-3 % wobble) names nothing, however many intervals, and so does one fabric-wide slow
// interval (every pair at half speed: the fabric or the job, not a part).
TEST(SoakDrift, AHealthySoakAndAFabricWideSlowIntervalNameNothing) {
  const auto healthy = soak_findings(soak_of(4, 30), SoakOptions{});
  EXPECT_TRUE(not_passing(healthy).empty());
  EXPECT_EQ(healthy.size(), 8u) << "each of the 4 NICs passes sending and receiving: followed and steady";
  const Samples slow_fabric = soak_of(4, 10, [](int a, int b, int i) { return wobble(a, b, i) * (i == 7 ? 0.5 : 1); });
  EXPECT_TRUE(not_passing(soak_findings(slow_fabric, SoakOptions{})).empty());
}

// Something is named, and every finding is a failure of node3's NIC.
void expect_only_node3_fails(const std::vector<Finding>& findings) {
  ASSERT_FALSE(findings.empty());
  for (const Finding& f : findings) {
    EXPECT_EQ(f.component, make_nic("node3", "eth0", 0)) << f.evidence.text;
    EXPECT_EQ(f.status, VerdictStatus::kFail) << f.evidence.text;
  }
}

// The namespace testbed after a cap (cluster.soak_drift, 2026-12-07): node3 capped both ways, and every other
// pair slowed to 60 % by sharing the machine's cores with it, so most parts are low and each interval is
// fabric-wide. Judged against each interval's typical part, node3 still fails and nobody else is named; before,
// fabric-wide intervals were left out and node3 only "dipped" in the one interval that was not.
TEST(SoakDrift, APartFarBelowTheRestOfAFabricWideSlowIntervalIsStillJudged) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) {
    if (i < 6) return wobble(a, b, i);
    return a == 3 || b == 3 ? 0.02 : 0.6 * wobble(a, b, i);
  });
  expect_only_node3_fails(not_passing(soak_findings(soak, SoakOptions{})));
}

// The same testbed, another run: after the cap the healthy pairs ran at 85 %, node1's sends at 82 % (below the
// drift line on their own: this soak's +-3 % wobble puts it 6 % below). Judged against the interval's typical
// part, node1 is within the line and only node3 is named; before, node1's transmit side failed beside it.
TEST(SoakDrift, AHostSlowedWithTheWholeIntervalIsJudgedAgainstTheIntervalsTypicalPart) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) {
    if (i < 6) return wobble(a, b, i);
    if (a == 3 || b == 3) return 0.02;
    return (a == 1 ? 0.82 : 0.85) * wobble(a, b, i);
  });
  expect_only_node3_fails(not_passing(soak_findings(soak, SoakOptions{})));
}

// Noisy but healthy (every sample +-25 %, as TCP on shared cores can be): the thresholds rise with the noise,
// so nothing is named; a real collapse (to a tenth) in the same noise is still named, saying the threshold rose.
TEST(SoakDrift, ANoisyHealthySoakNamesNothingButACollapseInTheSameNoiseIsNamed) {
  auto noisy = [](int a, int b, int i) {  // a hash of (a, b, i) to [-1, 1): no pattern over pairs or intervals
    const double x = std::sin(12.9898 * a + 78.233 * b + 37.719 * i) * 43758.5453;
    return 2.0 * (1.0 + 0.25 * (2.0 * (x - std::floor(x)) - 1.0));
  };
  const auto healthy = not_passing(soak_findings(soak_of(4, 20, noisy), SoakOptions{}));
  EXPECT_TRUE(healthy.empty()) << texts(healthy);
  const Samples collapse =
      soak_of(4, 12, [&](int a, int b, int i) { return (a == 2 && i >= 7 ? 0.1 : 1) * noisy(a, b, i); });
  const auto findings = not_passing(soak_findings(collapse, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u) << texts(findings);
  EXPECT_EQ(findings[0].component, make_nic("node2", "eth0", 0));
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_NE(findings[0].evidence.text.find("threshold raised to"), std::string::npos) << findings[0].evidence.text;
}

// A dip must stand out of the noise by more than a drift (dip_noise_spreads 5 against noise_spreads 3): one
// value of one part is one of many (parts x intervals) that could stray. In +-12 % noise a single interval at
// 75 % (as a healthy soak on the namespace cluster once showed) is not named; one at 20 % is.
TEST(SoakDrift, ADipMustStandOutOfTheNoiseByMoreThanADrift) {
  auto noisy = [](int a, int b, int i) {
    const double x = std::sin(12.9898 * a + 78.233 * b + 37.719 * i) * 43758.5453;
    return 2.0 * (1.0 + 0.12 * (2.0 * (x - std::floor(x)) - 1.0));
  };
  for (const double dip : {0.75, 0.2}) {
    const auto findings = not_passing(soak_findings(
        soak_of(4, 12, [&](int a, int b, int i) { return (a == 3 && i == 5 ? dip : 1.0) * noisy(a, b, i); }),
        SoakOptions{}));
    if (dip > 0.5) {
      EXPECT_TRUE(findings.empty()) << texts(findings);
    } else {
      ASSERT_EQ(findings.size(), 1u) << texts(findings);
      EXPECT_EQ(findings[0].status, VerdictStatus::kWarn);
      EXPECT_NE(findings[0].evidence.text.find("in interval 5"), std::string::npos) << findings[0].evidence.text;
    }
  }
}

// A flap: node4 sends at a tenth of its speed in interval 6 only, then recovers: a dip (warn) that names the
// interval, not a drift.
TEST(SoakDrift, ASingleIntervalDipWarnsNamingTheInterval) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) { return a == 4 && i == 6 ? 0.2 : wobble(a, b, i); });
  const auto findings = not_passing(soak_findings(soak, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, VerdictStatus::kWarn);
  EXPECT_EQ(findings[0].component, make_nic("node4", "eth0", 0));
  EXPECT_NE(findings[0].evidence.text.find("dipped to 10% of its reference in interval 6"), std::string::npos)
      << findings[0].evidence.text;
}

// A link that fails outright (transfers in error count 0) from interval 5: the sender fails, as for a cap.
TEST(SoakDrift, FailedTransfersCountAsZero) {
  Samples soak = soak_of(4, 8);
  for (LinkSample& l : soak.links) {
    if (l.host_a == "node1" && l.interval >= 5) l.ok = false;
  }
  const auto findings = not_passing(soak_findings(soak, SoakOptions{}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].component, make_nic("node1", "eth0", 0));
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
}

// warm-up 1 + reference 3 + 1 judged: 5 intervals at least; with 4 nothing is judged, however slow.
TEST(SoakDrift, TooFewIntervalsJudgeNothing) {
  const Shape dead = [](int a, int b, int i) { return a == 3 && i >= 3 ? 0.01 : wobble(a, b, i); };
  EXPECT_TRUE(soak_findings(soak_of(4, 4, dead), SoakOptions{}).empty());
  EXPECT_FALSE(soak_findings(soak_of(4, 5, dead), SoakOptions{}).empty());
}

// A collective's busbw drifting warns every host of its group (not localized), unless a NIC of one of them
// fails in the same soak, which explains it.
TEST(SoakDrift, ACollectiveDriftWarnsItsHostsUnlessAFailingNicExplainsIt) {
  auto with_group = [](Samples s, bool drops) {
    for (int i = 0; i < 10; ++i) {
      GroupSample g;
      g.group = "world";
      g.hosts = {"node1", "node2", "node3", "node4"};
      g.nranks = 4;
      g.metric = "all_reduce.float.sum busbw_gbps";
      g.size_bytes = 64 << 20;
      g.value = drops && i >= 5 ? 0.5 : 1.0;
      g.interval = i;
      s.groups.push_back(g);
    }
    return s;
  };
  const auto alone = not_passing(soak_findings(with_group(Samples{}, true), SoakOptions{}));
  ASSERT_EQ(alone.size(), 4u);
  for (const Finding& f : alone) {
    EXPECT_EQ(f.status, VerdictStatus::kWarn);
    EXPECT_EQ(f.component.kind, ComponentKind::kNode);
    EXPECT_NE(f.evidence.text.find(kNotLocalizedText), std::string::npos);
  }
  const Samples capped =
      with_group(soak_of(4, 10, [](int a, int b, int i) { return a == 3 && i >= 5 ? 0.05 : wobble(a, b, i); }), true);
  const auto explained = not_passing(soak_findings(capped, SoakOptions{}));
  ASSERT_EQ(explained.size(), 1u);
  EXPECT_EQ(explained[0].component, make_nic("node3", "eth0", 0));
  const auto steady = soak_findings(with_group(Samples{}, false), SoakOptions{});
  EXPECT_TRUE(not_passing(steady).empty());
  EXPECT_EQ(steady.size(), 4u) << "a steady group passes each of its hosts";
}

// Through the whole pipeline: soak samples are judged over time and never pooled into one pair matrix (which
// would see each pair ten times), and samples of an ordinary run are not judged as a soak.
TEST(SoakDrift, ThePipelineJudgesSoakSamplesOverTimeAndOthersAsOnePass) {
  const Samples soak = soak_of(4, 10, [](int a, int b, int i) { return a == 3 && i >= 5 ? 0.05 : wobble(a, b, i); });
  const auto findings = not_passing(sample_findings(soak, AnalysisOptions{}, nullptr));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.source, "soak");
  Samples one_pass = soak_of(4, 1);
  for (LinkSample& l : one_pass.links) l.interval = -1;
  for (const Finding& f : sample_findings(one_pass, AnalysisOptions{}, nullptr)) EXPECT_NE(f.evidence.source, "soak");
}

}  // namespace
}  // namespace railcheck::analysis
