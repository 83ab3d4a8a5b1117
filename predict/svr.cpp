#include "predict/svr.hpp"

#include <libsvm/svm.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cimnet {

namespace {

void discard_libsvm_output(const char* /*text*/) {}

struct ModelDeleter {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};

}  // namespace

SvrModel fit_svr(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const SvrParams& params) {
  if (x.rows() != y.size() || x.rows() == 0) throw std::invalid_argument("fit_svr: empty or mismatched data");
  svm_set_print_string_function(&discard_libsvm_output);

  const double mean = y.mean();
  const double sd = std::sqrt((y.array() - mean).square().mean());
  const double scale = sd > 0 ? sd : 1.0;
  std::vector<double> labels(static_cast<std::size_t>(y.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) labels[static_cast<std::size_t>(i)] = (y[i] - mean) / scale;

  // libsvm's sparse rows: only non-zero features (one-hot rows are mostly zero), 1-based index, -1 ends.
  std::vector<std::vector<svm_node>> rows(static_cast<std::size_t>(x.rows()));
  std::vector<svm_node*> row_pointers;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    auto& row = rows[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      if (x(i, j) != 0.0) row.push_back(svm_node{static_cast<int>(j + 1), x(i, j)});
    }
    row.push_back(svm_node{-1, 0.0});
    row_pointers.push_back(row.data());
  }
  svm_problem problem{};
  problem.l = static_cast<int>(x.rows());
  problem.y = labels.data();
  problem.x = row_pointers.data();

  svm_parameter p{};
  p.svm_type = EPSILON_SVR;
  p.kernel_type = RBF;
  p.gamma = params.gamma;
  p.C = params.c;
  p.p = params.epsilon;
  p.eps = 1e-3;
  p.cache_size = 200;  // MB: the whole kernel matrix of a few thousand points fits
  p.shrinking = 1;
  p.probability = 0;
  if (const char* error = svm_check_parameter(&problem, &p)) {
    throw std::invalid_argument(std::string("fit_svr: ") + error);
  }
  // libsvm's epsilon-SVR draws no random numbers (only probability estimates do): deterministic.
  std::unique_ptr<svm_model, ModelDeleter> model(svm_train(&problem, &p));

  SvrModel m;
  m.params = params;
  const auto count = static_cast<Eigen::Index>(model->l);
  m.support_vectors = Eigen::MatrixXd::Zero(count, x.cols());
  m.coefficients.resize(count);
  for (Eigen::Index s = 0; s < count; ++s) {
    for (const svm_node* node = model->SV[s]; node->index != -1; ++node) {
      m.support_vectors(s, node->index - 1) = node->value;
    }
    m.coefficients[s] = model->sv_coef[0][s] * scale;
  }
  // libsvm predicts Σ coef·k − rho on the standardised target.
  m.bias = mean - model->rho[0] * scale;
  return m;
}

Eigen::VectorXd SvrModel::predict(const Eigen::MatrixXd& x) const {
  if (x.cols() != support_vectors.cols()) throw std::invalid_argument("SvrModel::predict: wrong feature count");
  if (support_vectors.rows() == 0) return Eigen::VectorXd::Constant(x.rows(), bias);
  const Eigen::RowVectorXd sv_norms = support_vectors.rowwise().squaredNorm().transpose();
  Eigen::VectorXd out(x.rows());
  // Blocks of rows bound the kernel matrix (block × support vectors) to a few MB whatever the batch.
  constexpr Eigen::Index kBlock = 512;
  Eigen::MatrixXd d;
  for (Eigen::Index start = 0; start < x.rows(); start += kBlock) {
    const Eigen::Index rows = std::min(kBlock, x.rows() - start);
    const auto block = x.middleRows(start, rows);
    d.noalias() = block * support_vectors.transpose();
    d *= -2.0;
    d.colwise() += block.rowwise().squaredNorm();
    d.rowwise() += sv_norms;
    // Rounding can make a distance slightly negative; the kernel must stay <= 1.
    d = (-params.gamma * d.array().max(0.0)).exp().matrix();
    out.segment(start, rows).noalias() = d * coefficients;
  }
  return out.array() + bias;
}

}  // namespace cimnet
