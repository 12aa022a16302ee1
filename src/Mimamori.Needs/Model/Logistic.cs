using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Mimamori.Needs.Model;

/// <summary>
/// The regularised logistic regression used inside the blend: ML.NET's L-BFGS (L2 = 1, one thread) on features divided
/// by their standard deviation, as the plain baseline is trained, returned as a bias and one coefficient per column of
/// the unscaled model vector, so that scoring and explaining need no ML.NET model.
/// </summary>
public static class Logistic
{
    public static (double Bias, double[] Coefficients) Fit(MLContext ml, float[][] vectors, bool[] labels)
    {
        var columns = vectors.Length == 0 ? 0 : vectors[0].Length;
        var scale = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            double sum = 0, squares = 0;
            foreach (var v in vectors)
            {
                sum += v[j];
                squares += (double)v[j] * v[j];
            }

            var mean = sum / vectors.Length;
            var sd = Math.Sqrt(Math.Max(0, (squares / vectors.Length) - (mean * mean)));
            scale[j] = sd > 1e-12 ? 1 / sd : 0;
        }

        var rows = vectors.Select((v, i) => new ModelData.Row { Label = labels[i], Features = v.Select((x, j) => (float)(x * scale[j])).ToArray() });
        var model = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1, L2Regularization = 1f })
            .Fit(ModelData.ToDataView(ml, columns, rows));
        var linear = model.Model.SubModel;
        return (linear.Bias, linear.Weights.Select((w, j) => w * scale[j]).ToArray());
    }
}
