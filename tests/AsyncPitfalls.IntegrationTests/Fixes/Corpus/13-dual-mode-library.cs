using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Codecs;

public sealed class FrameWriter
{
    private readonly Stream _stream;

    public FrameWriter(Stream stream) => _stream = stream;

    public void Write(byte[] frame) => WriteAsync(frame, ioBehavior: false, CancellationToken.None).GetAwaiter().GetResult();

    public Task WriteAsync(byte[] frame, CancellationToken cancellationToken) => WriteAsync(frame, ioBehavior: true, cancellationToken);

    private async Task WriteAsync(byte[] frame, bool ioBehavior, CancellationToken cancellationToken)
    {
        if (ioBehavior)
        {
            await _stream.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _stream.Write(frame, 0, frame.Length);
        }
    }
}
