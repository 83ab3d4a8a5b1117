// Batched predictions per second of ridge and of ε-SVR with 1000 support vectors, on OFA-MobileNetV3
// features (masked one-hot of random sub-networks + ln MACs: 136 columns). Encoding is excluded:
// it is timed separately, since NSGA-II encodes each candidate once for all its predictors.
//
// Targets (issue 6): ≥ 100,000 per second for ridge, ≥ 20,000 for SVR with 1000 support vectors.
#include <chrono>
#include <cstdio>
#include <vector>

#include "common/random.hpp"
#include "predict/encoding.hpp"
#include "predict/predictor.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Repeats prediction of the batch until at least half a second has passed; returns predictions/s.
double rate(const cimnet::Predictor& p, const Eigen::MatrixXd& x, double& checksum) {
  long long done = 0;
  const auto start = Clock::now();
  do {
    checksum += p.predict(x).sum();
    done += x.rows();
  } while (seconds_since(start) < 0.5);
  return static_cast<double>(done) / seconds_since(start);
}

}  // namespace

int main() {
  const auto space = cimnet::make_space("ofa-mbv3");
  cimnet::EncodingSpec spec;
  spec.log_macs = true;
  const cimnet::Encoder encoder(*space, spec);
  cimnet::Rng rng(7);
  std::vector<cimnet::Genome> genomes;
  for (int i = 0; i < 10000; ++i) genomes.push_back(space->sample(rng));

  const auto encode_start = Clock::now();
  const Eigen::MatrixXd x = encoder.encode(genomes);
  const double encode_rate = static_cast<double>(x.rows()) / seconds_since(encode_start);
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < y.size(); ++i) y[i] = 70.0 + 8.0 * rng.uniform01();

  double checksum = 0;
  cimnet::ModelConfig ridge_config;
  ridge_config.alpha = 1.0;
  const cimnet::Predictor ridge = cimnet::train(x.topRows(2000), y.head(2000), ridge_config);

  // An SVR with exactly 1000 support vectors: the cost of prediction depends only on their number
  // and the feature count, not on how training chose them, so they are taken from the data directly.
  cimnet::ModelConfig svr_config;
  svr_config.kind = cimnet::ModelKind::svr;
  svr_config.scaling = cimnet::ScalingMode::minmax;
  svr_config.svr.gamma = 1.0 / static_cast<double>(x.cols());
  cimnet::Predictor svr = cimnet::train(x.topRows(200), y.head(200), svr_config);
  svr.scaling = cimnet::FeatureScaling::fit(x, cimnet::ScalingMode::minmax);
  svr.svr.support_vectors = svr.scaling.apply(x.middleRows(2000, 1000));
  svr.svr.coefficients = Eigen::VectorXd::NullaryExpr(1000, [&] { return rng.uniform01() - 0.5; });

  std::printf("features: %ld, batch: %ld rows\n", static_cast<long>(x.cols()), static_cast<long>(x.rows()));
  std::printf("encoding:         %12.0f sub-networks/s (incl. building the network for ln MACs)\n", encode_rate);
  const double ridge_rate = rate(ridge, x, checksum);
  std::printf("ridge:            %12.0f predictions/s (target >= 100000)\n", ridge_rate);
  const double svr_rate = rate(svr, x, checksum);
  std::printf("svr (%ld SVs):   %12.0f predictions/s (target >= 20000)\n",
              static_cast<long>(svr.svr.support_vectors.rows()), svr_rate);
  std::printf("(checksum %g)\n", checksum);
  return ridge_rate >= 100000 && svr_rate >= 20000 ? 0 : 1;
}
