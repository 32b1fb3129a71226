#include "dedup/dedup_report.h"

#include <cstdio>
#include <ctime>
#include <string>

namespace smelter::dedup {
namespace {

std::string FormatTime(int64_t t) {
  // 1990..2100 in Unix seconds; anything else is not a date we can trust.
  if (t < 631152000 || t > 4102444800) return std::to_string(t);
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

}  // namespace

void PrintClusters(const std::vector<DedupCluster>& clusters, int64_t total_documents, CanonicalPolicy policy,
                   std::ostream& out, const std::function<std::string(const std::string& id)>& name_of) {
  size_t duplicates = 0;
  int number = 0;
  for (const DedupCluster& cluster : clusters) {
    if (cluster.members.size() < 2) continue;
    duplicates += cluster.members.size() - 1;
    out << "cluster " << ++number << ": " << cluster.members.size() << " documents, canonical "
        << cluster.canonical_id << "  (policy " << PolicyName(policy) << ")\n";
    for (const ClusterMember& m : cluster.members) {
      char relation[32];
      if (m.id == cluster.canonical_id) {
        std::snprintf(relation, sizeof relation, "canonical");
      } else if (m.exact) {
        std::snprintf(relation, sizeof relation, "exact");
      } else {
        std::snprintf(relation, sizeof relation, "near %.2f", m.similarity);
      }
      char line[256];
      std::snprintf(line, sizeof line, "  %s %-20s %-11s %7lld words  modified %s", m.id == cluster.canonical_id ? "*" : " ",
                    m.id.c_str(), relation, static_cast<long long>(m.length), FormatTime(m.modified).c_str());
      out << line;
      if (policy == CanonicalPolicy::kPriority) out << "  priority " << m.priority;
      if (name_of) out << "  " << name_of(m.id);
      out << '\n';
    }
  }
  out << total_documents << " documents, " << number << " duplicate clusters, " << duplicates
      << " duplicates (" << (total_documents - static_cast<int64_t>(duplicates)) << " kept)\n";
}

}  // namespace smelter::dedup
