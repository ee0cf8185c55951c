using System.Text;
using PopGate.Client;

namespace PopGate.Tests.Client;

/// <summary>
/// curl's POP3 test cases, each played by a server that follows the test's directives: the client must send
/// exactly the protocol curl's test expects (same commands, same APOP and CRAM-MD5 digests, same SASL payloads),
/// deliver the data the test checks, and fail where the test expects a failure.
/// </summary>
public sealed class CurlTranscriptReplayTests
{
    public static TheoryData<int> Cases() => new(CurlTestCase.Numbers());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Client_speaks_the_protocol_curl_expects(int number)
    {
        var test = CurlTestCase.Load(number);
        var server = new CurlTestServer(test);
        var connection = new MemoryConnection(server.Slow ? 1 : int.MaxValue);
        var serverRun = Task.Run(() => server.RunAsync(connection));
        var program = CurlCommand.Parse(test.Command);
        var client = new Pop3Client(new Pop3ClientOptions { AllowCleartextPasswords = true, RecheckCapabilitiesAfterLogin = false });
        Exception? loginError = null, actionError = null, quitError = null;
        var output = new MemoryStream();
        await using (client)
        {
            await client.ConnectAsync(connection.ClientStream);
            await client.CapaAsync();
            try
            {
                await client.AuthenticateAsync(new Pop3Credentials(program.User) { Password = program.Password });
            }
            catch (Pop3CommandException e)
            {
                loginError = e;
            }

            if (loginError is null)
            {
                try
                {
                    await RunAsync(client, program, output);
                }
                catch (Pop3CommandException e)
                {
                    actionError = e;
                }

                try
                {
                    await client.QuitAsync();
                }
                catch (Pop3Exception e)
                {
                    quitError = e;
                }
            }
        }

        await serverRun.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(test.Protocol, server.Received);
        switch (test.ErrorCode)
        {
            case 67:
                Assert.NotNull(loginError);
                break;
            case 8:
                Assert.Null(loginError);
                Assert.IsType<Pop3CommandException>(actionError);
                break;
            default:
                Assert.Null(loginError);
                Assert.Null(actionError);
                var expected = test.DataCheck ?? (program.ChecksData ? test.Data : null);
                if (expected is not null)
                {
                    Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(output.ToArray()));
                }

                break;
        }

        if (number == 851)
        {
            // curl reads "LIST n" as a transfer ended by ".", so its server sends one; RFC 1939 makes that reply a
            // single line, and the "." left over is a reply to no command: the next one (QUIT) sees it and the
            // connection is faulted.
            Assert.IsType<Pop3ProtocolException>(quitError);
        }
        else if (test.ErrorCode != 67)
        {
            Assert.Null(quitError);
        }
    }

    private static async Task RunAsync(Pop3Client client, CurlCommand program, Stream output)
    {
        switch (program.Custom?.Split(' ')[0])
        {
            case "DELE":
                await client.DeleAsync(program.Message!.Value);
                return;
            case "STAT":
                await client.StatAsync();
                return;
            case "NOOP":
                await client.NoopAsync();
                return;
            case "RSET":
                await client.RsetAsync();
                return;
            case "UIDL":
                foreach (var entry in await client.UidlAsync())
                {
                    await output.WriteAsync(Encoding.ASCII.GetBytes($"{entry.Number} {entry.Uid}\r\n"));
                }

                return;
            case "TOP":
                var top = program.Custom!.Split(' ');
                await client.TopAsync(int.Parse(top[1]), int.Parse(top[2]), output);
                return;
        }

        if (program.Message is { } n && program.ListOnly)
        {
            var entry = await client.ListAsync(n);
            Assert.Equal(n, entry.Number);
        }
        else if (program.Message is { } m)
        {
            await client.RetrAsync(m, output);
        }
        else
        {
            foreach (var entry in await client.ListAsync())
            {
                await output.WriteAsync(Encoding.ASCII.GetBytes($"{entry.Number} {entry.Size}\r\n"));
            }
        }
    }

    /// <summary>The parts of a curl command line these tests use: URL, -u, -l, -X, -I.</summary>
    private sealed record CurlCommand(string User, string Password, int? Message, bool ListOnly, string? Custom)
    {
        public bool ChecksData => Custom is null or "UIDL" || Custom.StartsWith("TOP", StringComparison.Ordinal);

        public static CurlCommand Parse(string command)
        {
            var words = Tokens(command);
            var url = words[0];
            var path = url["pop3://".Length..];
            var slash = path.IndexOf('/');
            int? message = slash >= 0 && int.TryParse(path[(slash + 1)..], out var n) ? n : null;
            string user = "", password = "";
            string? custom = null;
            var listOnly = false;
            for (var i = 1; i < words.Count; i++)
            {
                switch (words[i])
                {
                    case "-u":
                        var credentials = words[++i].Split(':', 2);
                        (user, password) = (credentials[0], credentials[1]);
                        break;
                    case "-X":
                        custom = words[++i];
                        break;
                    case "-l":
                        listOnly = true;
                        break;
                }
            }

            return new CurlCommand(user, password, message, listOnly, custom);
        }

        private static List<string> Tokens(string command)
        {
            var tokens = new List<string>();
            var current = new StringBuilder();
            var quoted = false;
            foreach (var c in command)
            {
                if (c == '\'')
                {
                    quoted = !quoted;
                }
                else if (c == ' ' && !quoted)
                {
                    if (current.Length > 0)
                    {
                        tokens.Add(current.ToString());
                        current.Clear();
                    }
                }
                else
                {
                    current.Append(c);
                }
            }

            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
            }

            return tokens;
        }
    }
}
