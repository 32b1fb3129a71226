// Standard ranked-retrieval metrics, as BEIR and TREC compute them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace smelter {

struct RetrievalMetrics {
  double ndcg_at_10 = 0;
  double recall_at_10 = 0;
  double recall_at_100 = 0;
  double mrr_at_10 = 0;
};

// One query: `ranking` is document ids best first (no duplicates);
// `relevant` maps relevant ids to graded relevance (> 0). nDCG uses the
// exponential-free form (gain = grade), as pytrec_eval's ndcg_cut does.
RetrievalMetrics ScoreQuery(const std::vector<std::string>& ranking, const std::map<std::string, int>& relevant);

// Mean over queries.
RetrievalMetrics MeanMetrics(const std::vector<RetrievalMetrics>& per_query);

}  // namespace smelter
