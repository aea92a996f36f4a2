using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Tools;

public sealed class Compressor
{
    public async Task<int> CompressAsync(string path, CancellationToken cancellationToken)
    {
        using var process = Process.Start("gzip", path);
        await Task.Delay(1, cancellationToken);
        process.WaitForExit();
        return process.ExitCode;
    }
}
